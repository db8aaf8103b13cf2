#include "rxflow/artifact.h"

#include <stdexcept>
#include <string>

namespace rxflow {

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kFloat64:
      return "float64";
    case DType::kInt64:
      return "int64";
    case DType::kString:
      return "string";
  }
  return "unknown";
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

DType Artifact::dtype() const { return static_cast<DType>(values.index()); }

std::uint64_t Artifact::element_count() const {
  std::uint64_t count = 1;
  for (std::uint64_t extent : shape) count *= extent;
  return count;
}

Artifact Artifact::matrix(std::uint64_t rows, std::uint64_t cols, std::vector<double> values,
                          std::vector<std::string> columns) {
  Artifact artifact{{rows, cols}, std::move(values), std::move(columns)};
  check_consistent(artifact);
  return artifact;
}

Artifact Artifact::vector(std::vector<double> values) {
  const std::uint64_t n = values.size();
  return Artifact{{n}, std::move(values), {}};
}

Artifact Artifact::vector(std::vector<std::int64_t> values) {
  const std::uint64_t n = values.size();
  return Artifact{{n}, std::move(values), {}};
}

Artifact Artifact::vector(std::vector<std::string> values) {
  const std::uint64_t n = values.size();
  return Artifact{{n}, std::move(values), {}};
}

Artifact Artifact::scalar(double value) { return Artifact{{}, std::vector<double>{value}, {}}; }

void check_consistent(const Artifact& artifact) {
  const std::uint64_t stored = std::visit([](const auto& v) { return v.size(); }, artifact.values);
  if (stored != artifact.element_count()) {
    throw std::invalid_argument("artifact holds " + std::to_string(stored) +
                                " values but its shape needs " +
                                std::to_string(artifact.element_count()));
  }
  if (!artifact.columns.empty() &&
      (artifact.shape.size() != 2 || artifact.columns.size() != artifact.shape[1])) {
    throw std::invalid_argument("artifact has " + std::to_string(artifact.columns.size()) +
                                " column names but is not a table with that many columns");
  }
}

}  // namespace rxflow

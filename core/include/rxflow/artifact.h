// Artifact: one typed n-dimensional array that a stage emits (a table, a
// vector, a scalar, a list of names). Values are stored row-major.
// An Artifact is a plain value: copy or move it freely; not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rxflow {

enum class DType { kFloat64, kInt64, kString };

// "float64", "int64" or "string".
std::string_view dtype_name(DType dtype);

// "[128, 39]"; "[]" for a scalar. Also used for indices in messages.
std::string shape_text(const std::vector<std::uint64_t>& shape);

struct Artifact {
  using Values =
      std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>>;

  std::vector<std::uint64_t> shape;  // empty for a scalar
  Values values;
  // Names of the columns of a 2-D table (size == shape[1]); empty otherwise.
  std::vector<std::string> columns;

  DType dtype() const;
  std::uint64_t element_count() const;  // product of shape; 1 for a scalar

  // REQUIRES: values.size() == rows * cols, columns empty or of size cols.
  static Artifact matrix(std::uint64_t rows, std::uint64_t cols, std::vector<double> values,
                         std::vector<std::string> columns = {});
  static Artifact vector(std::vector<double> values);
  static Artifact vector(std::vector<std::int64_t> values);
  static Artifact vector(std::vector<std::string> values);
  static Artifact scalar(double value);
};

// Throws std::invalid_argument when shape, values and columns disagree.
void check_consistent(const Artifact& artifact);

}  // namespace rxflow

#include "nn/tensor_check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace rxflow::nn {
namespace {

std::string index_text(std::uint64_t flat, const std::vector<std::uint64_t>& shape) {
  std::vector<std::uint64_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_text(index);
}

}  // namespace

template <typename T>
void require_finite(const Artifact& artifact, const std::string& what) {
  const auto* values = std::get_if<std::vector<double>>(&artifact.values);
  if (values == nullptr) return;
  const double largest = std::numeric_limits<T>::max();
  for (std::size_t i = 0; i < values->size(); ++i) {
    const double value = (*values)[i];
    if (!std::isfinite(value)) {
      throw std::runtime_error(what + " holds a non-finite value (" + std::to_string(value) +
                               ") at " + index_text(i, artifact.shape));
    }
    if (std::abs(value) > largest) {
      std::ostringstream message;
      message << what << " holds " << value << " at " << index_text(i, artifact.shape)
              << ", outside " << type_name<T>() << "'s range (largest " << largest << ")";
      throw std::runtime_error(message.str());
    }
  }
}

template <typename T>
void load_state_dict(const std::vector<NamedTensor<T>>& state,
                     const std::vector<std::pair<std::string, Artifact>>& given,
                     const std::string& origin) {
  std::map<std::string, const Artifact*> by_name;
  for (const auto& [name, artifact] : given) by_name[name] = &artifact;
  for (const NamedTensor<T>& tensor : state) {
    const auto found = by_name.find(tensor.name);
    if (found == by_name.end()) {
      throw std::runtime_error(origin + ": tensor \"" + tensor.name +
                               "\" is missing (expected shape " + shape_text(tensor.shape) + ")");
    }
    const Artifact& artifact = *found->second;
    if (artifact.shape != tensor.shape || artifact.dtype() != DType::kFloat64) {
      throw std::runtime_error(origin + ": tensor \"" + tensor.name + "\": expected shape " +
                               shape_text(tensor.shape) + ", found " + shape_text(artifact.shape) +
                               " of " + std::string(dtype_name(artifact.dtype())));
    }
    require_finite<T>(artifact, origin + ": tensor \"" + tensor.name + "\"");
    const auto& values = std::get<std::vector<double>>(artifact.values);
    std::transform(values.begin(), values.end(), tensor.value->data(),
                   [](double value) { return static_cast<T>(value); });
    by_name.erase(found);
  }
  if (!by_name.empty()) {
    throw std::runtime_error(origin + ": tensor \"" + by_name.begin()->first +
                             "\" is not part of this network (shape " +
                             shape_text(by_name.begin()->second->shape) + ")");
  }
}

template <typename T>
std::vector<std::pair<std::string, Artifact>> state_dict_artifacts(
    const std::vector<NamedTensor<T>>& state) {
  std::vector<std::pair<std::string, Artifact>> artifacts;
  for (const NamedTensor<T>& tensor : state) {
    Artifact artifact{
        tensor.shape,
        std::vector<double>(tensor.value->data(), tensor.value->data() + tensor.value->size()),
        {}};
    artifacts.emplace_back(tensor.name, std::move(artifact));
  }
  return artifacts;
}

template void require_finite<float>(const Artifact&, const std::string&);
template void require_finite<double>(const Artifact&, const std::string&);
template void load_state_dict(const std::vector<NamedTensor<float>>&,
                              const std::vector<std::pair<std::string, Artifact>>&,
                              const std::string&);
template void load_state_dict(const std::vector<NamedTensor<double>>&,
                              const std::vector<std::pair<std::string, Artifact>>&,
                              const std::string&);
template std::vector<std::pair<std::string, Artifact>> state_dict_artifacts(
    const std::vector<NamedTensor<float>>&);
template std::vector<std::pair<std::string, Artifact>> state_dict_artifacts(
    const std::vector<NamedTensor<double>>&);

}  // namespace rxflow::nn

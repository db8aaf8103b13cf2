// Checks shared by the neural plugins: that input values are finite, and
// that a set of named tensors (a weight file) is exactly the network's
// state_dict, with PyTorch's shapes.
#pragma once

#include <string>
#include <vector>

#include "nn/matrix.h"
#include "rxflow/artifact.h"

namespace rxflow::nn {

// Throws std::runtime_error unless every value is finite and within the
// range of T, the compute type it is going to: "input "features" holds a
// non-finite value (nan) at [3, 2]", or "... holds 1e+300 at [0, 1],
// outside float32's range (largest 3.40282e+38)".
template <typename T = double>
void require_finite(const Artifact& artifact, const std::string& what);

template <typename T>
struct NamedTensor {
  std::string name;
  TensorShape shape;
  Matrix<T>* value;
};

// Copies each tensor of `given` (float64) into the matching state_dict
// entry, rounding to T. Throws as require_finite, and
// std::runtime_error naming the tensor for a missing, extra or misshapen one
// ("tensor "0.weight": expected shape [128, 39], found [128, 40]").
template <typename T>
void load_state_dict(const std::vector<NamedTensor<T>>& state,
                     const std::vector<std::pair<std::string, Artifact>>& given,
                     const std::string& origin);

// The state_dict as float64 artifacts with PyTorch's shapes (a float is
// widened exactly).
template <typename T>
std::vector<std::pair<std::string, Artifact>> state_dict_artifacts(
    const std::vector<NamedTensor<T>>& state);

}  // namespace rxflow::nn

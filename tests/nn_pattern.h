// The closed-form tensors of tests/reference/nn_reference.py:
// pattern(n, salt, scale)[i] = sin(0.7 i + salt) * scale, row-major,
// computed in double and rounded to T (as torch.tensor does to float32).
#pragma once

#include <cmath>
#include <type_traits>

#include "nn/matrix.h"

namespace rxflow::testing {

template <typename T = double>
nn::Matrix<T> pattern(Eigen::Index rows, Eigen::Index cols, double salt, double scale = 1.0) {
  nn::Matrix<T> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    m.data()[i] = static_cast<T>(std::sin(0.7 * static_cast<double>(i) + salt) * scale);
  return m;
}

// Fills every tensor of a state_dict as the reference's fill_pattern does:
// running variances 1 + |pattern| * 0.5, the batch counter untouched, the
// rest pattern * 0.3, with salt + the tensor's index in the state_dict.
template <typename State>
void fill_pattern(const State& state, double salt) {
  for (std::size_t i = 0; i < state.size(); ++i) {
    const auto& tensor = state[i];
    if (tensor.name.find("num_batches_tracked") != std::string::npos) continue;
    auto& value = *tensor.value;
    using T = typename std::remove_reference_t<decltype(value)>::Scalar;
    const double tensor_salt = salt + static_cast<double>(i);
    if (tensor.name.find("running_var") != std::string::npos) {
      value =
          (pattern<T>(value.rows(), value.cols(), tensor_salt, 0.5).array().abs() + T{1}).matrix();
    } else {
      value = pattern<T>(value.rows(), value.cols(), tensor_salt, 0.3);
    }
  }
}

}  // namespace rxflow::testing

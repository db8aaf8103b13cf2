// Linear (PyTorch nn.Linear): y = x W^T + b.
// in (B, in_features), weight (out, in), bias (1, out), out (B, out).
// Forward keeps its input for backward; backward accumulates into the
// gradients (cleared by zero_grad). Not thread-safe. T is float or double.
#pragma once

#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

template <typename T>
class Linear {
 public:
  Linear(int in_features, int out_features);

  // PyTorch's default: weight and bias uniform(-1/sqrt(in), 1/sqrt(in)),
  // weight drawn first, row by row; drawn as doubles, rounded to T.
  void reset_parameters(Rng& rng);

  const Matrix<T>& forward(const Matrix<T>& in);
  // d_out (B, out) -> d_in (B, in). REQUIRES: forward was called.
  // input_gradient = false skips d_in (a first layer needs none) and
  // returns an empty matrix.
  const Matrix<T>& backward(const Matrix<T>& d_out, bool input_gradient = true);
  void zero_grad();

  std::vector<ParameterRef<T>> parameters(const std::string& prefix);

  Matrix<T> weight, bias, grad_weight, grad_bias;

 private:
  Matrix<T> input_, output_, d_input_;
  RowVector<T> bias_sums_;  // kept to reuse its storage
};

}  // namespace rxflow::nn

// Element-wise activations (PyTorch nn.ReLU, nn.Sigmoid, nn.Tanh). Each
// keeps its output for backward. in and out have the same shape.
#pragma once

#include "nn/matrix.h"

namespace rxflow::nn {

class ReLU {
 public:
  const Matrix& forward(const Matrix& in);
  // Gradient passes where the output is positive (PyTorch's threshold_backward).
  const Matrix& backward(const Matrix& d_out);

 private:
  Matrix output_, d_input_;
};

class Sigmoid {
 public:
  const Matrix& forward(const Matrix& in);      // 1 / (1 + exp(-x))
  const Matrix& backward(const Matrix& d_out);  // d_out * y * (1 - y)

 private:
  Matrix output_, d_input_;
};

class Tanh {
 public:
  const Matrix& forward(const Matrix& in);
  const Matrix& backward(const Matrix& d_out);  // d_out * (1 - y^2)

 private:
  Matrix output_, d_input_;
};

}  // namespace rxflow::nn

// Element-wise activations (PyTorch nn.ReLU, nn.Sigmoid, nn.Tanh), in T
// (float or double). Each keeps its output for backward. in and out have
// the same shape.
#pragma once

#include "nn/matrix.h"

namespace rxflow::nn {

template <typename T>
class ReLU {
 public:
  const Matrix<T>& forward(const Matrix<T>& in);
  // Gradient passes where the output is positive (PyTorch's threshold_backward).
  const Matrix<T>& backward(const Matrix<T>& d_out);

 private:
  Matrix<T> output_, d_input_;
};

template <typename T>
class Sigmoid {
 public:
  const Matrix<T>& forward(const Matrix<T>& in);      // 1 / (1 + exp(-x))
  const Matrix<T>& backward(const Matrix<T>& d_out);  // d_out * y * (1 - y)

 private:
  Matrix<T> output_, d_input_;
};

template <typename T>
class Tanh {
 public:
  const Matrix<T>& forward(const Matrix<T>& in);
  const Matrix<T>& backward(const Matrix<T>& d_out);  // d_out * (1 - y^2)

 private:
  Matrix<T> output_, d_input_;
};

}  // namespace rxflow::nn

// Element-wise activations (PyTorch nn.ReLU, nn.LeakyReLU, nn.Sigmoid,
// nn.Tanh), in T (float or double). Each keeps what its backward needs (the
// output; LeakyReLU's input). in and out have the same shape.
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

// out = in > 0 ? in : negative_slope in; the slope is rounded to T, as
// PyTorch rounds its Scalar to the tensor's type.
template <typename T>
class LeakyReLU {
 public:
  explicit LeakyReLU(double negative_slope = 0.01);

  const Matrix<T>& forward(const Matrix<T>& in);
  // d_in = in > 0 ? d_out : negative_slope d_out (PyTorch's leaky_relu_backward).
  const Matrix<T>& backward(const Matrix<T>& d_out);

 private:
  T slope_;
  Matrix<T> input_, output_, d_input_;
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

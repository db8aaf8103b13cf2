#include "nn/activations.h"

#include <cmath>

namespace rxflow::nn {

const Matrix& ReLU::forward(const Matrix& in) {
  output_.resize(in.rows(), in.cols());
  kernels::relu(in.data(), output_.data(), in.size());
  return output_;
}

const Matrix& ReLU::backward(const Matrix& d_out) {
  d_input_.resize(d_out.rows(), d_out.cols());
  kernels::relu_gradient(output_.data(), d_out.data(), d_input_.data(), d_out.size());
  return d_input_;
}

// Sigmoid and Tanh call std::exp and std::tanh one element at a time. Eigen's
// vectorized exp uses its own polynomial for whole packets and std::exp for
// the rest, so an element's value would depend on its position in the
// batch: a request's probability would change with the number of requests.
const Matrix& Sigmoid::forward(const Matrix& in) {
  output_ = in.unaryExpr([](double x) { return 1.0 / (1.0 + std::exp(-x)); });
  return output_;
}

const Matrix& Sigmoid::backward(const Matrix& d_out) {
  d_input_ = d_out.array() * output_.array() * (1.0 - output_.array());
  return d_input_;
}

const Matrix& Tanh::forward(const Matrix& in) {
  output_ = in.unaryExpr([](double x) { return std::tanh(x); });
  return output_;
}

const Matrix& Tanh::backward(const Matrix& d_out) {
  d_input_ = d_out.array() * (1.0 - output_.array().square());
  return d_input_;
}

}  // namespace rxflow::nn

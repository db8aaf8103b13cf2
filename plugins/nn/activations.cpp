#include "nn/activations.h"

#include <cmath>

namespace rxflow::nn {

template <typename T>
const Matrix<T>& ReLU<T>::forward(const Matrix<T>& in) {
  output_.resize(in.rows(), in.cols());
  kernels::active<T>().relu(in.data(), output_.data(), in.size());
  return output_;
}

template <typename T>
const Matrix<T>& ReLU<T>::backward(const Matrix<T>& d_out) {
  d_input_.resize(d_out.rows(), d_out.cols());
  kernels::active<T>().relu_gradient(output_.data(), d_out.data(), d_input_.data(), d_out.size());
  return d_input_;
}

template <typename T>
LeakyReLU<T>::LeakyReLU(double negative_slope) : slope_(static_cast<T>(negative_slope)) {}

template <typename T>
const Matrix<T>& LeakyReLU<T>::forward(const Matrix<T>& in) {
  input_ = in;
  output_.resize(in.rows(), in.cols());
  kernels::active<T>().leaky_relu(in.data(), slope_, output_.data(), in.size());
  return output_;
}

template <typename T>
const Matrix<T>& LeakyReLU<T>::backward(const Matrix<T>& d_out) {
  d_input_.resize(d_out.rows(), d_out.cols());
  kernels::active<T>().leaky_relu_gradient(input_.data(), d_out.data(), slope_, d_input_.data(),
                                           d_out.size());
  return d_input_;
}

// Sigmoid and Tanh call std::exp and std::tanh one element at a time. Eigen's
// vectorized exp uses its own polynomial for whole packets and std::exp for
// the rest, so an element's value would depend on its position in the
// batch: a request's probability would change with the number of requests.
template <typename T>
const Matrix<T>& Sigmoid<T>::forward(const Matrix<T>& in) {
  output_ = in.unaryExpr([](T x) { return T{1} / (T{1} + std::exp(-x)); });
  return output_;
}

template <typename T>
const Matrix<T>& Sigmoid<T>::backward(const Matrix<T>& d_out) {
  d_input_ = d_out.array() * output_.array() * (T{1} - output_.array());
  return d_input_;
}

template <typename T>
const Matrix<T>& Tanh<T>::forward(const Matrix<T>& in) {
  output_ = in.unaryExpr([](T x) { return std::tanh(x); });
  return output_;
}

template <typename T>
const Matrix<T>& Tanh<T>::backward(const Matrix<T>& d_out) {
  d_input_ = d_out.array() * (T{1} - output_.array().square());
  return d_input_;
}

template class ReLU<float>;
template class ReLU<double>;
template class LeakyReLU<float>;
template class LeakyReLU<double>;
template class Sigmoid<float>;
template class Sigmoid<double>;
template class Tanh<float>;
template class Tanh<double>;

}  // namespace rxflow::nn

#include "nn/linear.h"

#include <cmath>

#include "nn/init.h"

namespace rxflow::nn {

template <typename T>
Linear<T>::Linear(int in_features, int out_features)
    : weight(Matrix<T>::Zero(out_features, in_features)), bias(Matrix<T>::Zero(1, out_features)) {}

template <typename T>
void Linear<T>::reset_parameters(Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(weight.cols()));
  init_uniform(weight, bound, rng);
  init_uniform(bias, bound, rng);
}

template <typename T>
const Matrix<T>& Linear<T>::forward(const Matrix<T>& in) {
  input_ = in;
  multiply(view(in), transposed(view(weight)), output_);
  kernels::active<T>().add_row(output_.data(), output_.rows(), output_.cols(), bias.data());
  return output_;
}

template <typename T>
const Matrix<T>& Linear<T>::backward(const Matrix<T>& d_out, bool input_gradient) {
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  multiply(transposed(view(d_out)), view(input_), grad_weight, /*accumulate=*/true);
  bias_sums_.resize(d_out.cols());
  kernels::active<T>().column_sums(d_out.data(), d_out.rows(), d_out.cols(), bias_sums_.data());
  grad_bias += bias_sums_;
  if (input_gradient) {
    multiply(view(d_out), view(weight), d_input_);
  } else {
    d_input_.resize(0, 0);
  }
  return d_input_;
}

template <typename T>
void Linear<T>::zero_grad() {
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  grad_weight.setZero();
  grad_bias.setZero();
}

template <typename T>
std::vector<ParameterRef<T>> Linear<T>::parameters(const std::string& prefix) {
  return {{prefix + "weight", &weight, &grad_weight}, {prefix + "bias", &bias, &grad_bias}};
}

template class Linear<float>;
template class Linear<double>;

}  // namespace rxflow::nn

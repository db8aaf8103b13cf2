#include "nn/linear.h"

#include <cmath>

namespace rxflow::nn {

Linear::Linear(int in_features, int out_features)
    : weight(Matrix::Zero(out_features, in_features)),
      bias(Matrix::Zero(1, out_features)),
      grad_weight(Matrix::Zero(out_features, in_features)),
      grad_bias(Matrix::Zero(1, out_features)) {}

void Linear::reset_parameters(Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(weight.cols()));
  for (Eigen::Index i = 0; i < weight.size(); ++i) weight.data()[i] = rng.uniform(-bound, bound);
  for (Eigen::Index i = 0; i < bias.size(); ++i) bias.data()[i] = rng.uniform(-bound, bound);
}

const Matrix& Linear::forward(const Matrix& in) {
  input_ = in;
  multiply(view(in), transposed(view(weight)), output_);
  kernels::add_row(output_.data(), output_.rows(), output_.cols(), bias.data());
  return output_;
}

const Matrix& Linear::backward(const Matrix& d_out, bool input_gradient) {
  multiply(transposed(view(d_out)), view(input_), grad_weight, /*accumulate=*/true);
  bias_sums_.resize(d_out.cols());
  kernels::column_sums(d_out.data(), d_out.rows(), d_out.cols(), bias_sums_.data());
  grad_bias += bias_sums_;
  if (input_gradient) {
    multiply(view(d_out), view(weight), d_input_);
  } else {
    d_input_.resize(0, 0);
  }
  return d_input_;
}

void Linear::zero_grad() {
  grad_weight.setZero();
  grad_bias.setZero();
}

std::vector<ParameterRef> Linear::parameters(const std::string& prefix) {
  return {{prefix + "weight", &weight, &grad_weight}, {prefix + "bias", &bias, &grad_bias}};
}

}  // namespace rxflow::nn

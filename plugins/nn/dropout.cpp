#include "nn/dropout.h"

namespace rxflow::nn {

Dropout::Dropout(double p) : p_(p) {}

const Matrix& Dropout::forward(const Matrix& in, bool training, Rng& rng) {
  active_ = training && p_ > 0.0;
  if (!active_) {
    output_ = in;
    return output_;
  }
  const double keep = 1.0 - p_, scale = 1.0 / keep;
  mask_.resize(in.rows(), in.cols());
  // uniform() < keep is bernoulli(keep), drawn in one call.
  rng.fill_uniform({mask_.data(), static_cast<std::size_t>(mask_.size())});
  kernels::dropout_mask(mask_.data(), mask_.size(), keep, scale);
  output_.resize(in.rows(), in.cols());
  kernels::multiply_elements(in.data(), mask_.data(), output_.data(), in.size());
  return output_;
}

const Matrix& Dropout::backward(const Matrix& d_out) {
  if (!active_) {
    d_input_ = d_out;
    return d_input_;
  }
  d_input_.resize(d_out.rows(), d_out.cols());
  kernels::multiply_elements(d_out.data(), mask_.data(), d_input_.data(), d_out.size());
  return d_input_;
}

}  // namespace rxflow::nn

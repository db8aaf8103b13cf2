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
  double* mask = mask_.data();
  rng.fill_uniform({mask, static_cast<std::size_t>(mask_.size())});
  for (Eigen::Index i = 0; i < mask_.size(); ++i) mask[i] = mask[i] < keep ? scale : 0.0;
  output_ = in.cwiseProduct(mask_);
  return output_;
}

const Matrix& Dropout::backward(const Matrix& d_out) {
  d_input_ = active_ ? Matrix(d_out.cwiseProduct(mask_)) : d_out;
  return d_input_;
}

}  // namespace rxflow::nn

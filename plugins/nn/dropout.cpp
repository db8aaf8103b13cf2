#include "nn/dropout.h"

namespace rxflow::nn {

template <typename T>
Dropout<T>::Dropout(double p) : p_(p) {}

template <typename T>
const Matrix<T>& Dropout<T>::forward(const Matrix<T>& in, bool training, Rng& rng) {
  active_ = training && p_ > 0.0;
  if (!active_) {
    output_ = in;
    return output_;
  }
  const kernels::Table<T>& ops = kernels::active<T>();
  // As PyTorch, the kept value is 1 / (1 - p) in T.
  const double keep = 1.0 - p_;
  const T scale = T{1} / static_cast<T>(keep);
  mask_.resize(in.rows(), in.cols());
  // uniform() < keep is bernoulli(keep), drawn in one call.
  uniforms_.resize(static_cast<std::size_t>(mask_.size()));
  rng.fill_uniform(uniforms_);
  ops.dropout_mask(uniforms_.data(), mask_.size(), keep, scale, mask_.data());
  output_.resize(in.rows(), in.cols());
  ops.multiply_elements(in.data(), mask_.data(), output_.data(), in.size());
  return output_;
}

template <typename T>
const Matrix<T>& Dropout<T>::backward(const Matrix<T>& d_out) {
  if (!active_) {
    d_input_ = d_out;
    return d_input_;
  }
  d_input_.resize(d_out.rows(), d_out.cols());
  kernels::active<T>().multiply_elements(d_out.data(), mask_.data(), d_input_.data(), d_out.size());
  return d_input_;
}

template class Dropout<float>;
template class Dropout<double>;

}  // namespace rxflow::nn

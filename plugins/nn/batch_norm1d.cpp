#include "nn/batch_norm1d.h"

#include <cassert>
#include <cmath>

namespace rxflow::nn {

template <typename T>
BatchNorm1d<T>::BatchNorm1d(int features, double eps, double momentum)
    : weight(Matrix<T>::Ones(1, features)),
      bias(Matrix<T>::Zero(1, features)),
      grad_weight(Matrix<T>::Zero(1, features)),
      grad_bias(Matrix<T>::Zero(1, features)),
      running_mean(Matrix<T>::Zero(1, features)),
      running_var(Matrix<T>::Ones(1, features)),
      num_batches_tracked(Matrix<T>::Zero(1, 1)),
      eps_(static_cast<T>(eps)),
      momentum_(static_cast<T>(momentum)) {}

template <typename T>
const Matrix<T>& BatchNorm1d<T>::forward(const Matrix<T>& in, bool training) {
  const Eigen::Index rows = in.rows(), cols = in.cols();
  const auto batch = static_cast<T>(rows);
  const kernels::Table<T>& ops = kernels::active<T>();
  if (training) {
    assert(rows > 1);
    mean_.resize(cols);
    ops.column_sums(in.data(), rows, cols, mean_.data());
    mean_ /= batch;
    var_.resize(cols);
    ops.column_square_sums(in.data(), mean_.data(), rows, cols, var_.data());
    var_ /= batch;
    const T one{1};
    running_mean = (one - momentum_) * running_mean + momentum_ * mean_;
    running_var = (one - momentum_) * running_var + momentum_ * (var_ * (batch / (batch - one)));
    num_batches_tracked(0, 0) += one;
  } else {
    mean_ = running_mean.row(0);
    var_ = running_var.row(0);
  }
  // Per element with std::sqrt, correctly rounded: Eigen may compute a
  // float packet's square root from an approximate reciprocal.
  inv_std_.resize(cols);
  for (Eigen::Index j = 0; j < cols; ++j) inv_std_[j] = T{1} / std::sqrt(var_[j] + eps_);
  normalized_.resize(rows, cols);
  output_.resize(rows, cols);
  ops.batch_norm_rows({mean_.data(), inv_std_.data(), weight.data(), bias.data()}, in.data(), rows,
                      cols, normalized_.data(), output_.data());
  return output_;
}

template <typename T>
const Matrix<T>& BatchNorm1d<T>::backward(const Matrix<T>& d_out) {
  const Eigen::Index rows = d_out.rows(), cols = d_out.cols();
  const kernels::Table<T>& ops = kernels::active<T>();
  sum_d_.resize(cols);
  ops.column_sums(d_out.data(), rows, cols, sum_d_.data());
  grad_bias += sum_d_;
  sum_d_x_.resize(cols);
  ops.column_product_sums(d_out.data(), normalized_.data(), rows, cols, sum_d_x_.data());
  grad_weight += sum_d_x_;
  // With dxhat = d_out * weight, whose sums are weight times the ones above:
  // dx = inv_std / B * (B dxhat - sum(dxhat) - xhat sum(dxhat xhat)).
  sum_d_ = sum_d_.cwiseProduct(weight.row(0));
  sum_d_x_ = sum_d_x_.cwiseProduct(weight.row(0));
  d_input_.resize(rows, cols);
  ops.batch_norm_input_gradient({weight.data(), sum_d_.data(), sum_d_x_.data(), inv_std_.data()},
                                d_out.data(), normalized_.data(), rows, cols, d_input_.data());
  return d_input_;
}

template <typename T>
void BatchNorm1d<T>::zero_grad() {
  grad_weight.setZero();
  grad_bias.setZero();
}

template <typename T>
std::vector<ParameterRef<T>> BatchNorm1d<T>::parameters(const std::string& prefix) {
  return {{prefix + "weight", &weight, &grad_weight}, {prefix + "bias", &bias, &grad_bias}};
}

template class BatchNorm1d<float>;
template class BatchNorm1d<double>;

}  // namespace rxflow::nn

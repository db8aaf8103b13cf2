#include "nn/batch_norm1d.h"

#include <cassert>
#include <cmath>

namespace rxflow::nn {

BatchNorm1d::BatchNorm1d(int features, double eps, double momentum)
    : weight(Matrix::Ones(1, features)),
      bias(Matrix::Zero(1, features)),
      grad_weight(Matrix::Zero(1, features)),
      grad_bias(Matrix::Zero(1, features)),
      running_mean(Matrix::Zero(1, features)),
      running_var(Matrix::Ones(1, features)),
      num_batches_tracked(Matrix::Zero(1, 1)),
      eps_(eps),
      momentum_(momentum) {}

const Matrix& BatchNorm1d::forward(const Matrix& in, bool training) {
  const Eigen::Index rows = in.rows(), cols = in.cols();
  const auto batch = static_cast<double>(rows);
  if (training) {
    assert(rows > 1);
    mean_.resize(cols);
    kernels::column_sums(in.data(), rows, cols, mean_.data());
    mean_ /= batch;
    var_.resize(cols);
    kernels::column_square_sums(in.data(), mean_.data(), rows, cols, var_.data());
    var_ /= batch;
    running_mean = (1.0 - momentum_) * running_mean + momentum_ * mean_;
    running_var = (1.0 - momentum_) * running_var + momentum_ * (var_ * (batch / (batch - 1.0)));
    num_batches_tracked(0, 0) += 1.0;
  } else {
    mean_ = running_mean.row(0);
    var_ = running_var.row(0);
  }
  inv_std_ = (var_.array() + eps_).sqrt().inverse().matrix();
  normalized_.resize(rows, cols);
  output_.resize(rows, cols);
  kernels::batch_norm_rows({mean_.data(), inv_std_.data(), weight.data(), bias.data()}, in.data(),
                           rows, cols, normalized_.data(), output_.data());
  return output_;
}

const Matrix& BatchNorm1d::backward(const Matrix& d_out) {
  const Eigen::Index rows = d_out.rows(), cols = d_out.cols();
  sum_d_.resize(cols);
  kernels::column_sums(d_out.data(), rows, cols, sum_d_.data());
  grad_bias += sum_d_;
  sum_d_x_.resize(cols);
  kernels::column_product_sums(d_out.data(), normalized_.data(), rows, cols, sum_d_x_.data());
  grad_weight += sum_d_x_;
  // With dxhat = d_out * weight, whose sums are weight times the ones above:
  // dx = inv_std / B * (B dxhat - sum(dxhat) - xhat sum(dxhat xhat)).
  sum_d_ = sum_d_.cwiseProduct(weight.row(0));
  sum_d_x_ = sum_d_x_.cwiseProduct(weight.row(0));
  d_input_.resize(rows, cols);
  kernels::batch_norm_input_gradient(
      {weight.data(), sum_d_.data(), sum_d_x_.data(), inv_std_.data()}, d_out.data(),
      normalized_.data(), rows, cols, d_input_.data());
  return d_input_;
}

void BatchNorm1d::zero_grad() {
  grad_weight.setZero();
  grad_bias.setZero();
}

std::vector<ParameterRef> BatchNorm1d::parameters(const std::string& prefix) {
  return {{prefix + "weight", &weight, &grad_weight}, {prefix + "bias", &bias, &grad_bias}};
}

std::vector<BufferRef> BatchNorm1d::buffers(const std::string& prefix) {
  return {{prefix + "running_mean", &running_mean},
          {prefix + "running_var", &running_var},
          {prefix + "num_batches_tracked", &num_batches_tracked}};
}

}  // namespace rxflow::nn

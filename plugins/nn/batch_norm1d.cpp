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
  const auto batch = static_cast<double>(in.rows());
  Eigen::RowVectorXd mean, var;
  if (training) {
    assert(in.rows() > 1);
    mean = in.colwise().mean();
    var = (in.rowwise() - mean).array().square().colwise().sum().matrix() / batch;
    running_mean = (1.0 - momentum_) * running_mean + momentum_ * mean;
    running_var = (1.0 - momentum_) * running_var + momentum_ * (var * (batch / (batch - 1.0)));
    num_batches_tracked(0, 0) += 1.0;
  } else {
    mean = running_mean.row(0);
    var = running_var.row(0);
  }
  inv_std_ = (var.array() + eps_).sqrt().inverse().matrix();
  normalized_ = (in.rowwise() - mean).array().rowwise() * inv_std_.array();
  output_ = (normalized_.array().rowwise() * weight.row(0).array()).rowwise() + bias.row(0).array();
  return output_;
}

const Matrix& BatchNorm1d::backward(const Matrix& d_out) {
  const auto batch = static_cast<double>(d_out.rows());
  grad_weight += (d_out.array() * normalized_.array()).colwise().sum().matrix();
  grad_bias += d_out.colwise().sum();
  const Matrix d_normalized = d_out.array().rowwise() * weight.row(0).array();
  const Eigen::RowVectorXd sum_d = d_normalized.colwise().sum();
  const Eigen::RowVectorXd sum_d_x = (d_normalized.array() * normalized_.array()).colwise().sum();
  // dx = inv_std / B * (B dxhat - sum(dxhat) - xhat sum(dxhat xhat))
  d_input_ = ((batch * d_normalized.array()).rowwise() - sum_d.array() -
              normalized_.array().rowwise() * sum_d_x.array())
                 .rowwise() *
             (inv_std_.array() / batch);
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

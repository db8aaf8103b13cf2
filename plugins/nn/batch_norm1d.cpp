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

namespace {

// sums(j) = (0 + term(0, j)) + term(1, j) + ... in order of the row. Plain
// loops over rows of contiguous features vectorize across features, so the
// order is the same on every CPU.
template <typename Term>
void column_sums(Eigen::Index rows, Eigen::Index cols, Eigen::RowVectorXd& sums, Term term) {
  sums.setZero(cols);
  double* __restrict total = sums.data();
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) total[j] += term(i, j);
  }
}

// normalized = (x - mean) inv_std; out = normalized weight + bias, over
// rows of cols features. Separate restrict-qualified arrays let the compiler
// vectorize across features.
void normalize_rows(Eigen::Index rows, Eigen::Index cols, const double* __restrict x,
                    const double* __restrict mean, const double* __restrict inv_std,
                    const double* __restrict weight, const double* __restrict bias,
                    double* __restrict normalized, double* __restrict out) {
  for (Eigen::Index i = 0; i < rows; ++i, x += cols, normalized += cols, out += cols) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      normalized[j] = (x[j] - mean[j]) * inv_std[j];
      out[j] = normalized[j] * weight[j] + bias[j];
    }
  }
}

// dx = (B dxhat - sum_d - xhat sum_d_x) (inv_std / B), dxhat = d weight.
void input_gradient_rows(Eigen::Index rows, Eigen::Index cols, const double* __restrict d,
                         const double* __restrict weight, const double* __restrict sum_d,
                         const double* __restrict sum_d_x, const double* __restrict inv_std,
                         const double* __restrict normalized, double* __restrict d_in) {
  const auto batch = static_cast<double>(rows);
  for (Eigen::Index i = 0; i < rows; ++i, d += cols, normalized += cols, d_in += cols) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      d_in[j] = (batch * (d[j] * weight[j]) - sum_d[j] - normalized[j] * sum_d_x[j]) *
                (inv_std[j] / batch);
    }
  }
}

}  // namespace

const Matrix& BatchNorm1d::forward(const Matrix& in, bool training) {
  const Eigen::Index rows = in.rows(), cols = in.cols();
  const auto batch = static_cast<double>(rows);
  if (training) {
    assert(rows > 1);
    column_sums(rows, cols, mean_, [&](Eigen::Index i, Eigen::Index j) { return in(i, j); });
    mean_ /= batch;
    column_sums(rows, cols, var_, [&](Eigen::Index i, Eigen::Index j) {
      const double centered = in(i, j) - mean_[j];
      return centered * centered;
    });
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
  normalize_rows(rows, cols, in.data(), mean_.data(), inv_std_.data(), weight.data(), bias.data(),
                 normalized_.data(), output_.data());
  return output_;
}

const Matrix& BatchNorm1d::backward(const Matrix& d_out) {
  const Eigen::Index rows = d_out.rows(), cols = d_out.cols();
  column_sums(rows, cols, sum_d_, [&](Eigen::Index i, Eigen::Index j) { return d_out(i, j); });
  grad_bias += sum_d_;
  column_sums(rows, cols, sum_d_x_,
              [&](Eigen::Index i, Eigen::Index j) { return d_out(i, j) * normalized_(i, j); });
  grad_weight += sum_d_x_;
  // With dxhat = d_out * weight, whose sums are weight times the ones above:
  // dx = inv_std / B * (B dxhat - sum(dxhat) - xhat sum(dxhat xhat)).
  sum_d_ = sum_d_.cwiseProduct(weight.row(0));
  sum_d_x_ = sum_d_x_.cwiseProduct(weight.row(0));
  d_input_.resize(rows, cols);
  input_gradient_rows(rows, cols, d_out.data(), weight.data(), sum_d_.data(), sum_d_x_.data(),
                      inv_std_.data(), normalized_.data(), d_input_.data());
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

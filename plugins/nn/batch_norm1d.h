// BatchNorm1d (PyTorch nn.BatchNorm1d, affine, tracking running stats).
// in (B, C), weight/bias/running_mean/running_var (1, C), out (B, C).
// Training normalizes with the batch mean and biased variance and updates
// running_mean and running_var (unbiased variance) with momentum 0.1;
// evaluation uses the running statistics. eps = 1e-5. All in T (float or
// double), eps and momentum rounded to T as PyTorch does.
// REQUIRES in training: B > 1 (PyTorch refuses a batch of one).
#pragma once

#include <cstdint>

#include "nn/matrix.h"

namespace rxflow::nn {

template <typename T>
class BatchNorm1d {
 public:
  explicit BatchNorm1d(int features, double eps = 1e-5, double momentum = 0.1);

  const Matrix<T>& forward(const Matrix<T>& in, bool training);
  // REQUIRES: the last forward was in training mode.
  const Matrix<T>& backward(const Matrix<T>& d_out);
  void zero_grad();

  std::vector<ParameterRef<T>> parameters(const std::string& prefix);

  Matrix<T> weight, bias, grad_weight, grad_bias, running_mean, running_var;
  Matrix<T> num_batches_tracked;  // 1 x 1, as PyTorch's int64 scalar counter

 private:
  T eps_, momentum_;
  Matrix<T> normalized_, output_, d_input_;
  // Per-feature statistics, kept to reuse their storage.
  RowVector<T> mean_, var_, inv_std_, sum_d_, sum_d_x_;
};

}  // namespace rxflow::nn

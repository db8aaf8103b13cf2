// BatchNorm1d (PyTorch nn.BatchNorm1d, affine, tracking running stats).
// in (B, C), weight/bias/running_mean/running_var (1, C), out (B, C).
// Training normalizes with the batch mean and biased variance and updates
// running_mean and running_var (unbiased variance) with momentum 0.1;
// evaluation uses the running statistics. eps = 1e-5.
// REQUIRES in training: B > 1 (PyTorch refuses a batch of one).
#pragma once

#include <cstdint>

#include "nn/matrix.h"

namespace rxflow::nn {

class BatchNorm1d {
 public:
  explicit BatchNorm1d(int features, double eps = 1e-5, double momentum = 0.1);

  const Matrix& forward(const Matrix& in, bool training);
  // REQUIRES: the last forward was in training mode.
  const Matrix& backward(const Matrix& d_out);
  void zero_grad();

  std::vector<ParameterRef> parameters(const std::string& prefix);
  std::vector<BufferRef> buffers(const std::string& prefix);

  Matrix weight, bias, grad_weight, grad_bias, running_mean, running_var;
  Matrix num_batches_tracked;  // 1 x 1, as PyTorch's int64 scalar counter

 private:
  double eps_, momentum_;
  Matrix normalized_, output_, d_input_;
  // Per-feature statistics, kept to reuse their storage.
  Eigen::RowVectorXd mean_, var_, inv_std_, sum_d_, sum_d_x_;
};

}  // namespace rxflow::nn

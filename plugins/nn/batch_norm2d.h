// BatchNorm2d (PyTorch nn.BatchNorm2d, affine, tracking running stats):
// BatchNorm1d over the pixels of each channel. in (B, C * H * W),
// channel-major; weight/bias/running_mean/running_var (1, C); out as in.
// Training normalizes each channel with the mean and biased variance of its
// B * H * W values and updates running_mean and running_var (unbiased,
// n = B * H * W) with momentum 0.1; evaluation uses the running statistics.
// eps = 1e-5. Computed by BatchNorm1d on the (B * H * W, C) transpose, so
// a channel's sums run over b, then h, then w, in order, and the kernels'
// level cannot change a bit. In T (float or double).
// REQUIRES in training: B * H * W > 1.
#pragma once

#include "nn/batch_norm1d.h"

namespace rxflow::nn {

template <typename T>
class BatchNorm2d : private BatchNorm1d<T> {
 public:
  explicit BatchNorm2d(int channels, double eps = 1e-5, double momentum = 0.1);

  // REQUIRES: in.cols() is a multiple of the channels.
  const Matrix<T>& forward(const Matrix<T>& in, bool training);
  // REQUIRES: the last forward was in training mode.
  const Matrix<T>& backward(const Matrix<T>& d_out);

  using BatchNorm1d<T>::zero_grad;
  using BatchNorm1d<T>::parameters;
  using BatchNorm1d<T>::weight;
  using BatchNorm1d<T>::bias;
  using BatchNorm1d<T>::grad_weight;
  using BatchNorm1d<T>::grad_bias;
  using BatchNorm1d<T>::running_mean;
  using BatchNorm1d<T>::running_var;
  using BatchNorm1d<T>::num_batches_tracked;

 private:
  // (B, C P) channel-major <-> (B P, C), one row per pixel of a sample.
  void to_pixel_rows(const Matrix<T>& in, Matrix<T>& rows) const;
  void from_pixel_rows(const Matrix<T>& rows, Eigen::Index batch, Matrix<T>& out) const;

  Eigen::Index channels_;
  Matrix<T> rows_, output_, d_rows_, d_input_;
};

}  // namespace rxflow::nn

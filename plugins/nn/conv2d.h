// Conv2d (PyTorch nn.Conv2d, groups 1, dilation 1, zero padding, a square
// kernel). in (B, C_in * H * W), weight (C_out, C_in * kH * kW) holding
// PyTorch's (C_out, C_in, kH, kW) tensor row-major, bias (1, C_out) or none,
// out (B, C_out * OH * OW) with OH = (H + 2 padding - kH) / stride + 1:
//   out[co, oh, ow] = bias[co] + sum over ci, kh, kw of
//                     W[co, ci, kh, kw] in[ci, oh s - p + kh, ow s - p + kw]
// (a cross-correlation, no kernel flip; taps outside the image read 0).
// Computed per sample as an im2col gather and one GEMM (W columns); backward
// is the two GEMMs of the gradients and a col2im scatter, all through the
// kernels, so the bits do not depend on the CPU. Forward keeps its input for
// backward; backward accumulates into the gradients. Not thread-safe. T is
// float or double.
#pragma once

#include "nn/conv_geometry.h"
#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

template <typename T>
class Conv2d {
 public:
  // has_bias = false is PyTorch's bias=False: no bias tensor in the
  // state_dict (a convolution followed by BatchNorm needs none).
  Conv2d(int in_channels, int out_channels, int kernel, int stride, int padding, int in_height,
         int in_width, bool has_bias = true);

  // PyTorch's default (kaiming_uniform_ with a = sqrt(5)): weight, then bias,
  // uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = C_in * kH * kW
  // (dimension 1 of the weight times the kernel); drawn as doubles, rounded
  // to T.
  void reset_parameters(Rng& rng);

  const Matrix<T>& forward(const Matrix<T>& in);
  // d_out (B, C_out * OH * OW) -> d_in (B, C_in * H * W). REQUIRES: forward
  // was called. input_gradient = false skips d_in (a first layer needs
  // none) and returns an empty matrix.
  const Matrix<T>& backward(const Matrix<T>& d_out, bool input_gradient = true);
  void zero_grad();

  std::vector<ParameterRef<T>> parameters(const std::string& prefix);
  TensorShape weight_shape() const;  // {C_out, C_in, kH, kW}
  int out_height() const { return geometry_.small_height; }
  int out_width() const { return geometry_.small_width; }
  bool has_bias() const { return has_bias_; }

  Matrix<T> weight, bias, grad_weight, grad_bias;  // bias (1, 0) without one

 private:
  // columns (C_in kH kW, OH OW) of one sample (input row b). Taps outside
  // the image stay 0 from the first call.
  void gather_columns(Eigen::Index b);

  int in_channels_, out_channels_, kernel_;
  ConvGeometry geometry_;  // large: the input, small: the output
  bool has_bias_;
  Matrix<T> input_, output_, d_input_, columns_, d_columns_;
};

}  // namespace rxflow::nn

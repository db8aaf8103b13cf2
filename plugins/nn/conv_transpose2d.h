// ConvTranspose2d (PyTorch nn.ConvTranspose2d, groups 1, dilation 1, no
// output padding). in (B, C_in * H * W), weight (C_in, C_out * kH * kW)
// holding PyTorch's (C_in, C_out, kH, kW) tensor row-major (no kernel flip),
// bias (1, C_out), out (B, C_out * OH * OW) with OH = (H - 1) stride -
// 2 padding + kH. Each input pixel scatters weight * value into the output:
// out[co, ih s - p + kh, iw s - p + kw] += in[ci, ih, iw] W[ci, co, kh, kw].
// Computed as one GEMM per sample (W^T x) then a col2im scatter. T is float
// or double.
#pragma once

#include "nn/conv_geometry.h"
#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

template <typename T>
class ConvTranspose2d {
 public:
  ConvTranspose2d(int in_channels, int out_channels, int kernel, int stride, int padding,
                  int in_height, int in_width);

  // PyTorch's default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight
  // then bias, where fan_in = C_out * kH * kW (dimension 1 of the weight);
  // drawn as doubles, rounded to T.
  void reset_parameters(Rng& rng);

  const Matrix<T>& forward(const Matrix<T>& in);
  const Matrix<T>& backward(const Matrix<T>& d_out);
  void zero_grad();

  std::vector<ParameterRef<T>> parameters(const std::string& prefix);
  TensorShape weight_shape() const;  // {C_in, C_out, kH, kW}

  Matrix<T> weight, bias, grad_weight, grad_bias;

 private:
  int in_channels_, out_channels_, kernel_;
  ConvGeometry geometry_;  // large: the output, small: the input
  // columns_: forward's (C_out kH kW, H W) products; d_columns_: backward's
  // gathered output gradient, whose taps outside the image stay 0.
  Matrix<T> input_, output_, d_input_, columns_, d_columns_;
};

}  // namespace rxflow::nn

#include "nn/conv_transpose2d.h"

#include <algorithm>
#include <cmath>

#include "nn/init.h"

namespace rxflow::nn {

template <typename T>
ConvTranspose2d<T>::ConvTranspose2d(int in_channels, int out_channels, int kernel, int stride,
                                    int padding, int in_height, int in_width)
    : weight(Matrix<T>::Zero(in_channels, out_channels * kernel * kernel)),
      bias(Matrix<T>::Zero(1, out_channels)),
      in_channels_(in_channels),
      out_channels_(out_channels),
      kernel_(kernel),
      geometry_{out_channels,
                kernel,
                stride,
                padding,
                (in_height - 1) * stride - 2 * padding + kernel,
                (in_width - 1) * stride - 2 * padding + kernel,
                in_height,
                in_width} {}

template <typename T>
void ConvTranspose2d<T>::reset_parameters(Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(out_channels_ * kernel_ * kernel_));
  init_uniform(weight, bound, rng);
  init_uniform(bias, bound, rng);
}

template <typename T>
const Matrix<T>& ConvTranspose2d<T>::forward(const Matrix<T>& in) {
  const int pixels = geometry_.small_pixels();
  const int out_pixels = geometry_.large_height * geometry_.large_width;
  const int stride = geometry_.stride;
  input_ = in;
  output_.resize(in.rows(), static_cast<Eigen::Index>(out_channels_) * out_pixels);
  for (Eigen::Index b = 0; b < in.rows(); ++b) {
    // columns (C_out kH kW, H W): every input pixel's contribution per kernel tap.
    multiply(transposed(view(weight)), view(in.row(b).data(), in_channels_, pixels), columns_);
    T* y = output_.row(b).data();
    for (int co = 0; co < out_channels_; ++co) {
      std::fill(y + co * out_pixels, y + (co + 1) * out_pixels, bias(0, co));
    }
    geometry_.for_each_run([&](Eigen::Index tap, int out_index, int in_pixel, int count) {
      const T* from = &columns_(tap, in_pixel);
      T* to = y + out_index;
      for (int i = 0; i < count; ++i) to[i * stride] += from[i];
    });
  }
  return output_;
}

template <typename T>
const Matrix<T>& ConvTranspose2d<T>::backward(const Matrix<T>& d_out) {
  const int pixels = geometry_.small_pixels();
  const int out_pixels = geometry_.large_height * geometry_.large_width;
  const int stride = geometry_.stride;
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  d_input_.resize(d_out.rows(), static_cast<Eigen::Index>(in_channels_) * pixels);
  if (d_columns_.rows() != geometry_.taps() || d_columns_.cols() != pixels) {
    d_columns_.setZero(geometry_.taps(), pixels);
  }
  for (Eigen::Index b = 0; b < d_out.rows(); ++b) {
    const Eigen::Map<const Matrix<T>> dy(d_out.row(b).data(), out_channels_, out_pixels);
    grad_bias += dy.rowwise().sum().transpose();
    // im2col: gather, for every input pixel and tap, the output gradient it fed.
    const T* dy_row = d_out.row(b).data();
    geometry_.for_each_run([&](Eigen::Index tap, int out_index, int in_pixel, int count) {
      T* to = &d_columns_(tap, in_pixel);
      const T* from = dy_row + out_index;
      for (int i = 0; i < count; ++i) to[i] = from[i * stride];
    });
    multiply(view(input_.row(b).data(), in_channels_, pixels), transposed(view(d_columns_)),
             grad_weight, /*accumulate=*/true);
    kernels::active<T>().gemm(view(weight), view(d_columns_), d_input_.row(b).data(), pixels,
                              false);
  }
  return d_input_;
}

template <typename T>
void ConvTranspose2d<T>::zero_grad() {
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  grad_weight.setZero();
  grad_bias.setZero();
}

template <typename T>
std::vector<ParameterRef<T>> ConvTranspose2d<T>::parameters(const std::string& prefix) {
  return {{prefix + "weight", &weight, &grad_weight}, {prefix + "bias", &bias, &grad_bias}};
}

template <typename T>
TensorShape ConvTranspose2d<T>::weight_shape() const {
  return {static_cast<std::uint64_t>(in_channels_), static_cast<std::uint64_t>(out_channels_),
          static_cast<std::uint64_t>(kernel_), static_cast<std::uint64_t>(kernel_)};
}

template class ConvTranspose2d<float>;
template class ConvTranspose2d<double>;

}  // namespace rxflow::nn

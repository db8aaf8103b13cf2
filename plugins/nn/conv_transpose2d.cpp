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
      stride_(stride),
      padding_(padding),
      in_height_(in_height),
      in_width_(in_width),
      out_height_((in_height - 1) * stride - 2 * padding + kernel),
      out_width_((in_width - 1) * stride - 2 * padding + kernel) {}

template <typename T>
template <typename Visit>
void ConvTranspose2d<T>::for_each_tap(Visit visit) const {
  for (int co = 0; co < out_channels_; ++co) {
    for (int kh = 0; kh < kernel_; ++kh) {
      for (int kw = 0; kw < kernel_; ++kw) {
        const Eigen::Index tap = (co * kernel_ + kh) * kernel_ + kw;
        for (int ih = 0; ih < in_height_; ++ih) {
          const int oh = ih * stride_ - padding_ + kh;
          if (oh < 0 || oh >= out_height_) continue;
          for (int iw = 0; iw < in_width_; ++iw) {
            const int ow = iw * stride_ - padding_ + kw;
            if (ow < 0 || ow >= out_width_) continue;
            visit(tap, ih * in_width_ + iw, co * out_height_ * out_width_ + oh * out_width_ + ow);
          }
        }
      }
    }
  }
}

template <typename T>
void ConvTranspose2d<T>::reset_parameters(Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(out_channels_ * kernel_ * kernel_));
  init_uniform(weight, bound, rng);
  init_uniform(bias, bound, rng);
}

template <typename T>
const Matrix<T>& ConvTranspose2d<T>::forward(const Matrix<T>& in) {
  const int pixels = in_height_ * in_width_;
  const int out_pixels = out_height_ * out_width_;
  input_ = in;
  output_.resize(in.rows(), static_cast<Eigen::Index>(out_channels_) * out_pixels);
  for (Eigen::Index b = 0; b < in.rows(); ++b) {
    // columns (C_out kH kW, H W): every input pixel's contribution per kernel tap.
    multiply(transposed(view(weight)), view(in.row(b).data(), in_channels_, pixels), columns_);
    T* y = output_.row(b).data();
    for (int co = 0; co < out_channels_; ++co) {
      std::fill(y + co * out_pixels, y + (co + 1) * out_pixels, bias(0, co));
    }
    for_each_tap([&](Eigen::Index tap, int in_pixel, int out_index) {
      y[out_index] += columns_(tap, in_pixel);
    });
  }
  return output_;
}

template <typename T>
const Matrix<T>& ConvTranspose2d<T>::backward(const Matrix<T>& d_out) {
  const int pixels = in_height_ * in_width_;
  const int out_pixels = out_height_ * out_width_;
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  d_input_.resize(d_out.rows(), static_cast<Eigen::Index>(in_channels_) * pixels);
  columns_.resize(static_cast<Eigen::Index>(out_channels_) * kernel_ * kernel_, pixels);
  for (Eigen::Index b = 0; b < d_out.rows(); ++b) {
    const Eigen::Map<const Matrix<T>> dy(d_out.row(b).data(), out_channels_, out_pixels);
    grad_bias += dy.rowwise().sum().transpose();
    // im2col: gather, for every input pixel and tap, the output gradient it fed.
    columns_.setZero();
    const T* dy_row = d_out.row(b).data();
    for_each_tap([&](Eigen::Index tap, int in_pixel, int out_index) {
      columns_(tap, in_pixel) = dy_row[out_index];
    });
    multiply(view(input_.row(b).data(), in_channels_, pixels), transposed(view(columns_)),
             grad_weight, /*accumulate=*/true);
    kernels::active<T>().gemm(view(weight), view(columns_), d_input_.row(b).data(), pixels, false);
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

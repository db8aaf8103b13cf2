#include "nn/conv2d.h"

#include <cmath>

#include "nn/init.h"

namespace rxflow::nn {

template <typename T>
Conv2d<T>::Conv2d(int in_channels, int out_channels, int kernel, int stride, int padding,
                  int in_height, int in_width, bool has_bias)
    : weight(Matrix<T>::Zero(out_channels, in_channels * kernel * kernel)),
      bias(Matrix<T>::Zero(1, has_bias ? out_channels : 0)),
      in_channels_(in_channels),
      out_channels_(out_channels),
      kernel_(kernel),
      geometry_{in_channels,
                kernel,
                stride,
                padding,
                in_height,
                in_width,
                (in_height + 2 * padding - kernel) / stride + 1,
                (in_width + 2 * padding - kernel) / stride + 1},
      has_bias_(has_bias) {}

template <typename T>
void Conv2d<T>::reset_parameters(Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_channels_ * kernel_ * kernel_));
  init_uniform(weight, bound, rng);
  init_uniform(bias, bound, rng);
}

template <typename T>
void Conv2d<T>::gather_columns(Eigen::Index b) {
  if (columns_.rows() != geometry_.taps() || columns_.cols() != geometry_.small_pixels()) {
    columns_.setZero(geometry_.taps(), geometry_.small_pixels());
  }
  const T* x = input_.row(b).data();
  const int stride = geometry_.stride;
  geometry_.for_each_run([&](Eigen::Index tap, int in_index, int out_pixel, int count) {
    T* to = &columns_(tap, out_pixel);
    const T* from = x + in_index;
    for (int i = 0; i < count; ++i) to[i] = from[i * stride];
  });
}

template <typename T>
const Matrix<T>& Conv2d<T>::forward(const Matrix<T>& in) {
  const int out_pixels = geometry_.small_pixels();
  input_ = in;
  output_.resize(in.rows(), static_cast<Eigen::Index>(out_channels_) * out_pixels);
  for (Eigen::Index b = 0; b < in.rows(); ++b) {
    gather_columns(b);
    T* y = output_.row(b).data();
    kernels::active<T>().gemm(view(weight), view(columns_), y, out_pixels, false);
    if (!has_bias_) continue;
    for (int co = 0; co < out_channels_; ++co) {
      for (int p = 0; p < out_pixels; ++p) y[co * out_pixels + p] += bias(0, co);
    }
  }
  return output_;
}

template <typename T>
const Matrix<T>& Conv2d<T>::backward(const Matrix<T>& d_out, bool input_gradient) {
  const int out_pixels = geometry_.small_pixels();
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  if (input_gradient) {
    d_input_.setZero(d_out.rows(), static_cast<Eigen::Index>(in_channels_) *
                                       geometry_.large_height * geometry_.large_width);
  } else {
    d_input_.resize(0, 0);
  }
  for (Eigen::Index b = 0; b < d_out.rows(); ++b) {
    const T* dy = d_out.row(b).data();
    if (has_bias_) {
      // Each channel's sum over its pixels in order, then added to the gradient.
      for (int co = 0; co < out_channels_; ++co) {
        T sum{0};
        for (int p = 0; p < out_pixels; ++p) sum += dy[co * out_pixels + p];
        grad_bias(0, co) += sum;
      }
    }
    gather_columns(b);
    const kernels::View<T> dy_view = view(dy, out_channels_, out_pixels);
    multiply(dy_view, transposed(view(columns_)), grad_weight, /*accumulate=*/true);
    if (!input_gradient) continue;
    // col2im: every tap's gradient back to the input pixel it read.
    multiply(transposed(view(weight)), dy_view, d_columns_);
    T* dx = d_input_.row(b).data();
    const int stride = geometry_.stride;
    geometry_.for_each_run([&](Eigen::Index tap, int in_index, int out_pixel, int count) {
      const T* from = &d_columns_(tap, out_pixel);
      T* to = dx + in_index;
      for (int i = 0; i < count; ++i) to[i * stride] += from[i];
    });
  }
  return d_input_;
}

template <typename T>
void Conv2d<T>::zero_grad() {
  allocate_gradients(weight, bias, grad_weight, grad_bias);
  grad_weight.setZero();
  grad_bias.setZero();
}

template <typename T>
std::vector<ParameterRef<T>> Conv2d<T>::parameters(const std::string& prefix) {
  std::vector<ParameterRef<T>> result{{prefix + "weight", &weight, &grad_weight}};
  if (has_bias_) result.push_back({prefix + "bias", &bias, &grad_bias});
  return result;
}

template <typename T>
TensorShape Conv2d<T>::weight_shape() const {
  return {static_cast<std::uint64_t>(out_channels_), static_cast<std::uint64_t>(in_channels_),
          static_cast<std::uint64_t>(kernel_), static_cast<std::uint64_t>(kernel_)};
}

template class Conv2d<float>;
template class Conv2d<double>;

}  // namespace rxflow::nn

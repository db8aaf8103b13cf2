// The tap geometry shared by Conv2d and ConvTranspose2d (groups 1, dilation
// 1, zero padding, a square kernel): which pixel of the large image each
// kernel tap of each pixel of the small image touches. The large image is
// a convolution's input and a transposed convolution's output; the small
// one is the other side. Small pixel (sh, sw) and tap (c, kh, kw) touch
// large pixel (c, sh stride - padding + kh, sw stride - padding + kw) when
// it lies inside the image. Conv2d gathers along it (im2col) and scatters
// its gradient back (col2im); ConvTranspose2d scatters its output and
// gathers its gradient. A plain value; thread-safe.
#pragma once

#include <Eigen/Core>
#include <algorithm>

namespace rxflow::nn {

struct ConvGeometry {
  int channels;  // of the large image: Conv2d's C_in, ConvTranspose2d's C_out
  int kernel, stride, padding;
  int large_height, large_width;
  int small_height, small_width;

  // Rows of the im2col matrix: one per (channel, kh, kw).
  Eigen::Index taps() const { return Eigen::Index{channels} * kernel * kernel; }
  int small_pixels() const { return small_height * small_width; }

  // Calls visit(tap, large_index, small_pixel, count) for every kernel tap
  // (tap = (c kernel + kh) kernel + kw) and small row, with the run of
  // `count` consecutive small pixels from small_pixel whose large pixels lie
  // inside the image: the i-th of them touches large_index + i stride
  // (large_index counts channel-major, (c H + h) W + w). Taps in order, then
  // small rows, so a scatter along the runs adds in a fixed order.
  template <typename Visit>
  void for_each_run(Visit visit) const {
    for (int c = 0; c < channels; ++c) {
      for (int kh = 0; kh < kernel; ++kh) {
        for (int kw = 0; kw < kernel; ++kw) {
          const Eigen::Index tap = (Eigen::Index{c} * kernel + kh) * kernel + kw;
          // sw stride - padding + kw in [0, large_width): the run's ends.
          const int first = kw >= padding ? 0 : (padding - kw + stride - 1) / stride;
          const int last = std::min(small_width - 1, (large_width - 1 + padding - kw) / stride);
          if (first > last) continue;
          for (int sh = 0; sh < small_height; ++sh) {
            const int lh = sh * stride - padding + kh;
            if (lh < 0 || lh >= large_height) continue;
            visit(tap, (c * large_height + lh) * large_width + first * stride - padding + kw,
                  sh * small_width + first, last - first + 1);
          }
        }
      }
    }
  }
};

}  // namespace rxflow::nn

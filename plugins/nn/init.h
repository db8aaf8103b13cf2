// PyTorch's default initialisation draw (nn.init.uniform_), shared by the layers
// that have it.
#pragma once

#include <algorithm>
#include <span>

#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

// Every element of m, in row-major order, = rng.uniform(-bound, bound): a
// double, rounded to T. So a float network starts from the float nearest
// the double network's start, for the same seed. The uniforms are drawn in
// blocks (Rng::fill_uniform, the same sequence) and scaled as uniform(lo,
// hi) scales them, so the values are those of one call per element.
template <typename T>
void init_uniform(Matrix<T>& m, double bound, Rng& rng) {
  const double lo = -bound, hi = bound;
  double block[512];
  for (Eigen::Index start = 0; start < m.size(); start += 512) {
    const auto count = static_cast<std::size_t>(std::min<Eigen::Index>(512, m.size() - start));
    rng.fill_uniform(std::span<double>(block, count));
    for (std::size_t i = 0; i < count; ++i) {
      m.data()[start + static_cast<Eigen::Index>(i)] = static_cast<T>(lo + (hi - lo) * block[i]);
    }
  }
}

}  // namespace rxflow::nn

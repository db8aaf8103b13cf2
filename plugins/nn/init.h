// PyTorch's default initialisation draw (nn.init.uniform_), shared by the layers
// that have it.
#pragma once

#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

// Every element of m, in row-major order, = rng.uniform(-bound, bound): a
// double, rounded to T. So a float network starts from the float nearest
// the double network's start, for the same seed.
template <typename T>
void init_uniform(Matrix<T>& m, double bound, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i)
    m.data()[i] = static_cast<T>(rng.uniform(-bound, bound));
}

}  // namespace rxflow::nn

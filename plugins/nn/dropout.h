// Dropout (PyTorch nn.Dropout, inverted): in training each element is kept
// with probability 1 - p and scaled by 1 / (1 - p); in evaluation it is the
// identity. The mask is drawn from the caller's Rng, one bernoulli(1 - p)
// per element in row-major order (none when p = 0), from double uniforms
// whatever T, so a float and a double network drop the same elements.
#pragma once

#include <vector>

#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

template <typename T>
class Dropout {
 public:
  explicit Dropout(double p);  // REQUIRES: 0 <= p < 1

  const Matrix<T>& forward(const Matrix<T>& in, bool training, Rng& rng);
  const Matrix<T>& backward(const Matrix<T>& d_out);

 private:
  double p_;
  bool active_ = false;
  std::vector<double> uniforms_;
  Matrix<T> mask_, output_, d_input_;
};

}  // namespace rxflow::nn

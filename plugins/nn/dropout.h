// Dropout (PyTorch nn.Dropout, inverted): in training each element is kept
// with probability 1 - p and scaled by 1 / (1 - p); in evaluation it is the
// identity. The mask is drawn from the caller's Rng, one bernoulli(1 - p)
// per element in row-major order (none when p = 0).
#pragma once

#include "nn/matrix.h"
#include "rxflow/rng.h"

namespace rxflow::nn {

class Dropout {
 public:
  explicit Dropout(double p);  // REQUIRES: 0 <= p < 1

  const Matrix& forward(const Matrix& in, bool training, Rng& rng);
  const Matrix& backward(const Matrix& d_out);

 private:
  double p_;
  bool active_ = false;
  Matrix mask_, output_, d_input_;
};

}  // namespace rxflow::nn

// Adam (PyTorch torch.optim.Adam, 1.13, no weight decay, no amsgrad):
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p += (-lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// eps is added outside the square root; kernels::adam gives the exact order
// of operations, PyTorch's. In T (float or double): the step's constants
// are computed in double and rounded to T, as PyTorch passes its Python
// floats to a float tensor's kernels. Owns the moment estimates of the
// parameters it was given; the parameters must outlive it.
#pragma once

#include <vector>

#include "nn/matrix.h"

namespace rxflow::nn {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

template <typename T>
class Adam {
 public:
  Adam(std::vector<ParameterRef<T>> parameters, AdamOptions options);
  void step();
  void zero_grad();

 private:
  std::vector<ParameterRef<T>> parameters_;
  AdamOptions options_;
  std::vector<Matrix<T>> m_, v_;
  int step_ = 0;
};

}  // namespace rxflow::nn

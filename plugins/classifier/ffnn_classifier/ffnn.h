// The feed-forward classifier of the seed paper, Section 6.1, as the
// PyTorch module it is equivalent to (state_dict names and layouts equal):
//   nn.Sequential(nn.Linear(m, h1), nn.BatchNorm1d(h1), nn.ReLU(),
//                 nn.Dropout(p), nn.Linear(h1, h2), nn.ReLU(),
//                 nn.Linear(h2, 1), nn.Sigmoid())
// in (B, m), out (B, 1) probabilities, computed in T: float (PyTorch's
// default dtype) or double. Not thread-safe.
#pragma once

#include "nn/activations.h"
#include "nn/batch_norm1d.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/tensor_check.h"

namespace rxflow::ffnn {

struct FfnnShape {
  int inputs = 39;
  int hidden1 = 128;
  int hidden2 = 32;
  double dropout = 0.2;
};

template <typename T>
class FfnnClassifier {
 public:
  explicit FfnnClassifier(const FfnnShape& shape);

  // PyTorch's default initialisation, layers in order (0, 4, 6); BatchNorm
  // starts at weight 1, bias 0, running mean 0, running variance 1.
  void reset_parameters(Rng& rng);

  // training: batch statistics and dropout masks from rng (REQUIRES B > 1);
  // otherwise running statistics and no dropout (rng unused).
  const nn::Matrix<T>& forward(const nn::Matrix<T>& in, bool training, Rng& rng);
  // d_probabilities (B, 1); accumulates parameter gradients.
  void backward(const nn::Matrix<T>& d_probabilities);

  std::vector<nn::ParameterRef<T>> parameters();
  std::vector<nn::NamedTensor<T>> state();  // the state_dict, in PyTorch's order
  const FfnnShape& shape() const { return shape_; }

 private:
  FfnnShape shape_;
  nn::Linear<T> fc1_;
  nn::BatchNorm1d<T> norm_;
  nn::ReLU<T> relu1_;
  nn::Dropout<T> dropout_;
  nn::Linear<T> fc2_;
  nn::ReLU<T> relu2_;
  nn::Linear<T> fc3_;
  nn::Sigmoid<T> sigmoid_;
};

}  // namespace rxflow::ffnn

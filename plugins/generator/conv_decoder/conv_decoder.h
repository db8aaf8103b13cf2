// The convolutional image decoder of the seed paper, Section 6.2, as the
// PyTorch module it is equivalent to (state_dict names and layouts equal):
//   nn.Sequential(nn.Linear(z, 8*8*128), nn.Unflatten(1, (128, 8, 8)),
//                 nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
//                 nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
//                 nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Sigmoid())
// with nn.Tanh() rescaled as (t + 1) / 2 in place of the sigmoid when asked.
// in (B, z), out (B, 64 * 64) grayscale in [0, 1]. Forward keeps what
// backward needs; backward accumulates into the gradients (cleared by
// zero_grad). T is the compute type, float or double. Not thread-safe.
#pragma once

#include "nn/activations.h"
#include "nn/conv_transpose2d.h"
#include "nn/linear.h"
#include "nn/tensor_check.h"

namespace rxflow::decoder {

inline constexpr int kImageSize = 64;

enum class OutputActivation { kSigmoid, kTanh };

template <typename T>
class ConvDecoder {
 public:
  ConvDecoder(int latent_dim, OutputActivation activation);

  // PyTorch's default initialisation, layers in order (0, 2, 4, 6).
  void reset_parameters(Rng& rng);
  nn::Matrix<T> forward(const nn::Matrix<T>& latents);
  // d_images (B, 64 * 64) -> d_latents (B, z). REQUIRES: forward was called.
  nn::Matrix<T> backward(const nn::Matrix<T>& d_images);
  void zero_grad();

  // The trainable tensors, named as in state() ("0.weight", ...).
  std::vector<nn::ParameterRef<T>> parameters();
  std::vector<nn::NamedTensor<T>> state();

 private:
  OutputActivation activation_;
  nn::Linear<T> project_;
  nn::ConvTranspose2d<T> up1_, up2_, up3_;
  nn::ReLU<T> relu1_, relu2_;
  nn::Sigmoid<T> sigmoid_;
  nn::Tanh<T> tanh_;
};

}  // namespace rxflow::decoder

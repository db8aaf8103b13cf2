// A conditional variational autoencoder whose decoder is exactly the seed
// paper's Section 6.2 decoder (decoder::ConvDecoder, sigmoid output), so its
// trained state_dict loads into the conv_decoder stage. As PyTorch modules:
//   encoder: Conv2d(1, 32, 4, 2, 1, bias=False), BatchNorm2d(32), LeakyReLU(0.2),
//            Conv2d(32, 64, 4, 2, 1, bias=False), BatchNorm2d(64), LeakyReLU(0.2),
//            Conv2d(64, 128, 4, 2, 1, bias=False), BatchNorm2d(128), LeakyReLU(0.2),
//            Flatten()                                       -> h (B, 8192)
//   mu = Linear(8192 + k, z)([h, c]),  logvar = Linear(8192 + k, z)([h, c])
//   latent = mu + exp(logvar / 2) eps,  eps ~ N(0, 1) given by the caller
//   image = ConvDecoder(z + k)([latent, c])
// with c (B, k) the condition (features, then drug embedding). Loss, per
// pixel: L = BCE(image, x) + beta KL / P, where BCE is the mean over the
// B P pixels (nn::bce_loss), KL = mean over the batch of
// -1/2 sum_j (1 + logvar - mu^2 - exp(logvar)), and P = 64 * 64; beta = 1
// is the usual ELBO summed over pixels, divided by B P. T is the compute
// type, float or double; every step of the loss is in T, as PyTorch's in
// the same dtype.
// Forward keeps what backward needs; backward accumulates into the
// gradients. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "conv_decoder.h"
#include "nn/activations.h"
#include "nn/batch_norm2d.h"
#include "nn/conv2d.h"
#include "nn/linear.h"

namespace rxflow::cvae {

inline constexpr int kPixels = decoder::kImageSize * decoder::kImageSize;

// The loss of a batch, computed in T and widened exactly.
struct LossTerms {
  double reconstruction = 0;  // mean BCE per pixel
  double kl = 0;              // mean KL divergence per sample, in nats
  double total = 0;           // reconstruction + beta kl / P
};

template <typename T>
class ConditionalVae {
 public:
  ConditionalVae(int condition_dim, int latent_dim);

  // PyTorch's default initialisation from rng, in this order: the three
  // encoder convolutions, the mu head, the logvar head, then the decoder
  // (ConvDecoder::reset_parameters). BatchNorm starts at weight 1, bias 0
  // and draws nothing.
  void reset_parameters(Rng& rng);

  // images (B, P) in [0, 1], conditions (B, k), eps (B, z). Training mode
  // (batch statistics, running estimates updated). REQUIRES: B >= 1.
  LossTerms forward(const nn::Matrix<T>& images, const nn::Matrix<T>& conditions,
                    const nn::Matrix<T>& eps, double beta);
  // Gradients of the last forward's total loss, accumulated.
  void backward();
  void zero_grad();

  // Reconstructions from mu (no noise), BatchNorm in evaluation mode:
  // (B, P). Keeps nothing for backward.
  nn::Matrix<T> reconstruct(const nn::Matrix<T>& images, const nn::Matrix<T>& conditions);

  // Encoder tensors are named "encoder.0.weight", ..., "mu.weight",
  // "logvar.weight"; the decoder's "decoder.0.weight", ... .
  std::vector<nn::ParameterRef<T>> parameters();
  decoder::ConvDecoder<T>& decoder() { return decoder_; }
  int latent_dim() const { return latent_dim_; }

 private:
  // (B, 8192 + k): the encoder's features, then the condition.
  nn::Matrix<T> encode(const nn::Matrix<T>& images, const nn::Matrix<T>& conditions, bool training);

  int condition_dim_, latent_dim_;
  nn::Conv2d<T> conv1_, conv2_, conv3_;
  nn::BatchNorm2d<T> norm1_, norm2_, norm3_;
  nn::LeakyReLU<T> act1_, act2_, act3_;
  nn::Linear<T> mu_head_, logvar_head_;
  decoder::ConvDecoder<T> decoder_;
  // Kept from forward for backward.
  nn::Matrix<T> images_, mu_, logvar_, eps_, reconstruction_;
  T beta_ = 1;
};

}  // namespace rxflow::cvae

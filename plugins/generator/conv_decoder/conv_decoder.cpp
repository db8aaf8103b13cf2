#include "conv_decoder.h"

namespace rxflow::decoder {

ConvDecoder::ConvDecoder(int latent_dim, OutputActivation activation)
    : activation_(activation),
      project_(latent_dim, 8 * 8 * 128),
      up1_(128, 64, 4, 2, 1, 8, 8),
      up2_(64, 32, 4, 2, 1, 16, 16),
      up3_(32, 1, 4, 2, 1, 32, 32) {}

void ConvDecoder::reset_parameters(Rng& rng) {
  project_.reset_parameters(rng);
  up1_.reset_parameters(rng);
  up2_.reset_parameters(rng);
  up3_.reset_parameters(rng);
}

nn::Matrix<double> ConvDecoder::forward(const nn::Matrix<double>& latents) {
  // The (B, 8192) projection is already the (B, 128, 8, 8) image batch, channel-major.
  const nn::Matrix<double>& features =
      relu2_.forward(up2_.forward(relu1_.forward(up1_.forward(project_.forward(latents)))));
  const nn::Matrix<double>& logits = up3_.forward(features);
  if (activation_ == OutputActivation::kSigmoid) return sigmoid_.forward(logits);
  return (tanh_.forward(logits).array() + 1.0) * 0.5;
}

std::vector<nn::NamedTensor<double>> ConvDecoder::state() {
  const auto u = [](Eigen::Index n) { return static_cast<std::uint64_t>(n); };
  return {{"0.weight", {u(project_.weight.rows()), u(project_.weight.cols())}, &project_.weight},
          {"0.bias", {u(project_.bias.cols())}, &project_.bias},
          {"2.weight", up1_.weight_shape(), &up1_.weight},
          {"2.bias", {64}, &up1_.bias},
          {"4.weight", up2_.weight_shape(), &up2_.weight},
          {"4.bias", {32}, &up2_.bias},
          {"6.weight", up3_.weight_shape(), &up3_.weight},
          {"6.bias", {1}, &up3_.bias}};
}

}  // namespace rxflow::decoder

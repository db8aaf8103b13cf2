#include "conv_decoder.h"

namespace rxflow::decoder {

template <typename T>
ConvDecoder<T>::ConvDecoder(int latent_dim, OutputActivation activation)
    : activation_(activation),
      project_(latent_dim, 8 * 8 * 128),
      up1_(128, 64, 4, 2, 1, 8, 8),
      up2_(64, 32, 4, 2, 1, 16, 16),
      up3_(32, 1, 4, 2, 1, 32, 32) {}

template <typename T>
void ConvDecoder<T>::reset_parameters(Rng& rng) {
  project_.reset_parameters(rng);
  up1_.reset_parameters(rng);
  up2_.reset_parameters(rng);
  up3_.reset_parameters(rng);
}

template <typename T>
nn::Matrix<T> ConvDecoder<T>::forward(const nn::Matrix<T>& latents) {
  // The (B, 8192) projection is already the (B, 128, 8, 8) image batch, channel-major.
  const nn::Matrix<T>& features =
      relu2_.forward(up2_.forward(relu1_.forward(up1_.forward(project_.forward(latents)))));
  const nn::Matrix<T>& logits = up3_.forward(features);
  if (activation_ == OutputActivation::kSigmoid) return sigmoid_.forward(logits);
  return (tanh_.forward(logits).array() + T{1}) * T{0.5};
}

template <typename T>
nn::Matrix<T> ConvDecoder<T>::backward(const nn::Matrix<T>& d_images) {
  // The tanh output is (t + 1) / 2, so its gradient halves on the way in.
  const nn::Matrix<T>& d_logits = activation_ == OutputActivation::kSigmoid
                                      ? sigmoid_.backward(d_images)
                                      : tanh_.backward(d_images * T{0.5});
  const nn::Matrix<T>& d_features =
      relu1_.backward(up2_.backward(relu2_.backward(up3_.backward(d_logits))));
  return project_.backward(up1_.backward(d_features));
}

template <typename T>
void ConvDecoder<T>::zero_grad() {
  project_.zero_grad();
  up1_.zero_grad();
  up2_.zero_grad();
  up3_.zero_grad();
}

template <typename T>
std::vector<nn::ParameterRef<T>> ConvDecoder<T>::parameters() {
  std::vector<nn::ParameterRef<T>> all;
  for (auto part : {project_.parameters("0."), up1_.parameters("2."), up2_.parameters("4."),
                    up3_.parameters("6.")}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

template <typename T>
std::vector<nn::NamedTensor<T>> ConvDecoder<T>::state() {
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

template class ConvDecoder<float>;
template class ConvDecoder<double>;

}  // namespace rxflow::decoder

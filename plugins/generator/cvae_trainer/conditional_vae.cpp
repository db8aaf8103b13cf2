#include "conditional_vae.h"

#include <cmath>

#include "nn/bce_loss.h"

namespace rxflow::cvae {
namespace {

constexpr int kFeatures = 128 * 8 * 8;  // the encoder's flattened output
constexpr double kSlope = 0.2;

// [a, b] side by side: (B, a.cols() + b.cols()).
template <typename T>
nn::Matrix<T> concat_columns(const nn::Matrix<T>& a, const nn::Matrix<T>& b) {
  nn::Matrix<T> out(a.rows(), a.cols() + b.cols());
  out.leftCols(a.cols()) = a;
  out.rightCols(b.cols()) = b;
  return out;
}

}  // namespace

template <typename T>
ConditionalVae<T>::ConditionalVae(int condition_dim, int latent_dim)
    : condition_dim_(condition_dim),
      latent_dim_(latent_dim),
      conv1_(1, 32, 4, 2, 1, 64, 64, false),
      conv2_(32, 64, 4, 2, 1, 32, 32, false),
      conv3_(64, 128, 4, 2, 1, 16, 16, false),
      norm1_(32),
      norm2_(64),
      norm3_(128),
      act1_(kSlope),
      act2_(kSlope),
      act3_(kSlope),
      mu_head_(kFeatures + condition_dim, latent_dim),
      logvar_head_(kFeatures + condition_dim, latent_dim),
      decoder_(latent_dim + condition_dim, decoder::OutputActivation::kSigmoid) {}

template <typename T>
void ConditionalVae<T>::reset_parameters(Rng& rng) {
  conv1_.reset_parameters(rng);
  conv2_.reset_parameters(rng);
  conv3_.reset_parameters(rng);
  mu_head_.reset_parameters(rng);
  logvar_head_.reset_parameters(rng);
  decoder_.reset_parameters(rng);
}

template <typename T>
nn::Matrix<T> ConditionalVae<T>::encode(const nn::Matrix<T>& images,
                                        const nn::Matrix<T>& conditions, bool training) {
  const nn::Matrix<T>& h1 = act1_.forward(norm1_.forward(conv1_.forward(images), training));
  const nn::Matrix<T>& h2 = act2_.forward(norm2_.forward(conv2_.forward(h1), training));
  const nn::Matrix<T>& h3 = act3_.forward(norm3_.forward(conv3_.forward(h2), training));
  return concat_columns(h3, conditions);
}

template <typename T>
LossTerms ConditionalVae<T>::forward(const nn::Matrix<T>& images, const nn::Matrix<T>& conditions,
                                     const nn::Matrix<T>& eps, double beta) {
  const nn::Matrix<T> head_input = encode(images, conditions, true);
  mu_ = mu_head_.forward(head_input);
  logvar_ = logvar_head_.forward(head_input);
  eps_ = eps;
  images_ = images;
  beta_ = static_cast<T>(beta);
  nn::Matrix<T> latent(mu_.rows(), mu_.cols());
  for (Eigen::Index i = 0; i < latent.size(); ++i) {
    latent.data()[i] = mu_.data()[i] + std::exp(T{0.5} * logvar_.data()[i]) * eps_.data()[i];
  }
  reconstruction_ = decoder_.forward(concat_columns(latent, conditions));

  const T reconstruction = nn::bce_loss(reconstruction_, images_);
  T kl_sum = 0;
  for (Eigen::Index i = 0; i < mu_.size(); ++i) {
    const T m = mu_.data()[i], lv = logvar_.data()[i];
    kl_sum += T{-0.5} * (T{1} + lv - m * m - std::exp(lv));
  }
  const T kl = kl_sum / static_cast<T>(mu_.rows());
  return {reconstruction, kl, reconstruction + beta_ * kl / T{kPixels}};
}

template <typename T>
void ConditionalVae<T>::backward() {
  const nn::Matrix<T> d_decoder_input =
      decoder_.backward(nn::bce_loss_gradient(reconstruction_, images_));
  // d total / d mu = beta mu / (B P); / d logvar = beta (exp(logvar) - 1) / (2 B P);
  // plus the reparameterisation's paths through latent = mu + exp(logvar / 2) eps.
  const T kl_scale = beta_ / (static_cast<T>(mu_.rows()) * T{kPixels});
  nn::Matrix<T> d_mu(mu_.rows(), mu_.cols()), d_logvar(mu_.rows(), mu_.cols());
  for (Eigen::Index b = 0; b < mu_.rows(); ++b) {
    for (Eigen::Index j = 0; j < mu_.cols(); ++j) {
      const T m = mu_(b, j), lv = logvar_(b, j), d_latent = d_decoder_input(b, j);
      d_mu(b, j) = d_latent + kl_scale * m;
      d_logvar(b, j) = d_latent * eps_(b, j) * T{0.5} * std::exp(T{0.5} * lv) +
                       kl_scale * T{0.5} * (std::exp(lv) - T{1});
    }
  }
  nn::Matrix<T> d_head_input = mu_head_.backward(d_mu);
  d_head_input += logvar_head_.backward(d_logvar);
  const nn::Matrix<T> d_h3 = d_head_input.leftCols(kFeatures);
  const nn::Matrix<T>& d_h2 = conv3_.backward(norm3_.backward(act3_.backward(d_h3)));
  const nn::Matrix<T>& d_h1 = conv2_.backward(norm2_.backward(act2_.backward(d_h2)));
  conv1_.backward(norm1_.backward(act1_.backward(d_h1)), false);
}

template <typename T>
void ConditionalVae<T>::zero_grad() {
  conv1_.zero_grad();
  conv2_.zero_grad();
  conv3_.zero_grad();
  norm1_.zero_grad();
  norm2_.zero_grad();
  norm3_.zero_grad();
  mu_head_.zero_grad();
  logvar_head_.zero_grad();
  decoder_.zero_grad();
}

template <typename T>
nn::Matrix<T> ConditionalVae<T>::reconstruct(const nn::Matrix<T>& images,
                                             const nn::Matrix<T>& conditions) {
  const nn::Matrix<T> head_input = encode(images, conditions, false);
  return decoder_.forward(concat_columns(mu_head_.forward(head_input), conditions));
}

template <typename T>
std::vector<nn::ParameterRef<T>> ConditionalVae<T>::parameters() {
  std::vector<nn::ParameterRef<T>> all;
  for (auto part : {conv1_.parameters("encoder.0."), norm1_.parameters("encoder.1."),
                    conv2_.parameters("encoder.3."), norm2_.parameters("encoder.4."),
                    conv3_.parameters("encoder.6."), norm3_.parameters("encoder.7."),
                    mu_head_.parameters("mu."), logvar_head_.parameters("logvar.")}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  for (nn::ParameterRef<T> ref : decoder_.parameters()) {
    ref.name = "decoder." + ref.name;
    all.push_back(ref);
  }
  return all;
}

template class ConditionalVae<float>;
template class ConditionalVae<double>;

}  // namespace rxflow::cvae

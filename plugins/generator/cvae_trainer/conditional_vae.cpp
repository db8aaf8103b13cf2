#include "conditional_vae.h"

#include <cmath>

#include "nn/bce_loss.h"

namespace rxflow::cvae {
namespace {

constexpr int kFeatures = 128 * 8 * 8;  // the encoder's flattened output
constexpr double kSlope = 0.2;

// [a, b] side by side: (B, a.cols() + b.cols()).
nn::Matrix<double> concat_columns(const nn::Matrix<double>& a, const nn::Matrix<double>& b) {
  nn::Matrix<double> out(a.rows(), a.cols() + b.cols());
  out.leftCols(a.cols()) = a;
  out.rightCols(b.cols()) = b;
  return out;
}

}  // namespace

ConditionalVae::ConditionalVae(int condition_dim, int latent_dim)
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

void ConditionalVae::reset_parameters(Rng& rng) {
  conv1_.reset_parameters(rng);
  conv2_.reset_parameters(rng);
  conv3_.reset_parameters(rng);
  mu_head_.reset_parameters(rng);
  logvar_head_.reset_parameters(rng);
  decoder_.reset_parameters(rng);
}

nn::Matrix<double> ConditionalVae::encode(const nn::Matrix<double>& images,
                                          const nn::Matrix<double>& conditions, bool training) {
  const nn::Matrix<double>& h1 = act1_.forward(norm1_.forward(conv1_.forward(images), training));
  const nn::Matrix<double>& h2 = act2_.forward(norm2_.forward(conv2_.forward(h1), training));
  const nn::Matrix<double>& h3 = act3_.forward(norm3_.forward(conv3_.forward(h2), training));
  return concat_columns(h3, conditions);
}

LossTerms ConditionalVae::forward(const nn::Matrix<double>& images,
                                  const nn::Matrix<double>& conditions,
                                  const nn::Matrix<double>& eps, double beta) {
  const nn::Matrix<double> head_input = encode(images, conditions, true);
  mu_ = mu_head_.forward(head_input);
  logvar_ = logvar_head_.forward(head_input);
  eps_ = eps;
  images_ = images;
  beta_ = beta;
  nn::Matrix<double> latent(mu_.rows(), mu_.cols());
  for (Eigen::Index i = 0; i < latent.size(); ++i) {
    latent.data()[i] = mu_.data()[i] + std::exp(0.5 * logvar_.data()[i]) * eps_.data()[i];
  }
  reconstruction_ = decoder_.forward(concat_columns(latent, conditions));

  LossTerms terms;
  terms.reconstruction = nn::bce_loss(reconstruction_, images_);
  double kl_sum = 0;
  for (Eigen::Index i = 0; i < mu_.size(); ++i) {
    const double m = mu_.data()[i], lv = logvar_.data()[i];
    kl_sum += -0.5 * (1.0 + lv - m * m - std::exp(lv));
  }
  terms.kl = kl_sum / static_cast<double>(mu_.rows());
  terms.total = terms.reconstruction + beta * terms.kl / kPixels;
  return terms;
}

void ConditionalVae::backward() {
  const nn::Matrix<double> d_decoder_input =
      decoder_.backward(nn::bce_loss_gradient(reconstruction_, images_));
  // d total / d mu = beta mu / (B P); / d logvar = beta (exp(logvar) - 1) / (2 B P);
  // plus the reparameterisation's paths through latent = mu + exp(logvar / 2) eps.
  const double kl_scale = beta_ / (static_cast<double>(mu_.rows()) * kPixels);
  nn::Matrix<double> d_mu(mu_.rows(), mu_.cols()), d_logvar(mu_.rows(), mu_.cols());
  for (Eigen::Index b = 0; b < mu_.rows(); ++b) {
    for (Eigen::Index j = 0; j < mu_.cols(); ++j) {
      const double m = mu_(b, j), lv = logvar_(b, j), d_latent = d_decoder_input(b, j);
      d_mu(b, j) = d_latent + kl_scale * m;
      d_logvar(b, j) =
          d_latent * eps_(b, j) * 0.5 * std::exp(0.5 * lv) + kl_scale * 0.5 * (std::exp(lv) - 1.0);
    }
  }
  nn::Matrix<double> d_head_input = mu_head_.backward(d_mu);
  d_head_input += logvar_head_.backward(d_logvar);
  const nn::Matrix<double> d_h3 = d_head_input.leftCols(kFeatures);
  const nn::Matrix<double>& d_h2 = conv3_.backward(norm3_.backward(act3_.backward(d_h3)));
  const nn::Matrix<double>& d_h1 = conv2_.backward(norm2_.backward(act2_.backward(d_h2)));
  conv1_.backward(norm1_.backward(act1_.backward(d_h1)), false);
}

void ConditionalVae::zero_grad() {
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

nn::Matrix<double> ConditionalVae::reconstruct(const nn::Matrix<double>& images,
                                               const nn::Matrix<double>& conditions) {
  const nn::Matrix<double> head_input = encode(images, conditions, false);
  return decoder_.forward(concat_columns(mu_head_.forward(head_input), conditions));
}

std::vector<nn::ParameterRef<double>> ConditionalVae::parameters() {
  std::vector<nn::ParameterRef<double>> all;
  for (auto part : {conv1_.parameters("encoder.0."), norm1_.parameters("encoder.1."),
                    conv2_.parameters("encoder.3."), norm2_.parameters("encoder.4."),
                    conv3_.parameters("encoder.6."), norm3_.parameters("encoder.7."),
                    mu_head_.parameters("mu."), logvar_head_.parameters("logvar.")}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  for (nn::ParameterRef<double> ref : decoder_.parameters()) {
    ref.name = "decoder." + ref.name;
    all.push_back(ref);
  }
  return all;
}

}  // namespace rxflow::cvae

// The conditional VAE of cvae_trainer: its analytic gradients against
// central differences of its loss (float64), one training step against
// PyTorch 1.13 and training bit-identical when repeated and at every kernel
// level (float32 and float64).
#include <catch2/catch.hpp>
#include <cmath>

#include "cvae_training.h"
#include "kernel_levels.h"
#include "nn/adam.h"
#include "nn_pattern.h"
#include "nn_reference_check.h"
#include "reference/cvae_golden.h"

namespace rxflow::cvae {
namespace {

// Images in (0, 1) with some structure: a sigmoid of a pattern.
nn::Matrix<double> pattern_images(Eigen::Index n, double salt) {
  return (1.0 / (1.0 + (-testing::pattern(n, kPixels, salt, 3.0)).array().exp())).matrix();
}

TEST_CASE("the conditional VAE's gradients equal central differences of its loss", "[cvae]") {
  // Tiny: two images, a 3-wide condition, a 2-wide latent. beta is large so
  // the KL term's gradient is not lost beside the reconstruction's.
  const double beta = 500.0;
  ConditionalVae<double> model(3, 2);
  Rng rng(11);
  model.reset_parameters(rng);
  const nn::Matrix<double> images = pattern_images(2, 0.3);
  const nn::Matrix<double> conditions = testing::pattern(2, 3, 1.1);
  const nn::Matrix<double> eps = testing::pattern(2, 2, 2.3);
  const auto loss = [&] { return model.forward(images, conditions, eps, beta).total; };

  model.zero_grad();
  loss();
  model.backward();
  std::vector<nn::ParameterRef<double>> parameters = model.parameters();
  REQUIRE(parameters.size() == 21);  // 3 convolutions, 3 x 2 BatchNorm, 2 x 2 heads, 8 decoder
  // h and the margin sit above the rounding noise of a sum over 8192 pixels.
  const double h = 1e-5, margin = 5e-9;
  int significant = 0, kinks = 0;
  for (const nn::ParameterRef<double>& parameter : parameters) {
    const Eigen::Index size = parameter.value->size();
    // The ends, the middle and two more spread through the tensor.
    for (Eigen::Index i : {Eigen::Index{0}, size / 3, size / 2, (2 * size) / 3, size - 1}) {
      double& x = parameter.value->data()[i];
      const double saved = x;
      const auto central_difference = [&](double step) {
        x = saved + step;
        const double plus = loss();
        x = saved - step;
        const double minus = loss();
        x = saved;
        return (plus - minus) / (2 * step);
      };
      const double wide = central_difference(h), narrow = central_difference(h / 4);
      // A ReLU's kink within the step makes the difference depend on the
      // step: no derivative to compare there. Few may be; the rest must agree.
      if (std::abs(wide - narrow) > margin + 1e-4 * std::abs(narrow)) {
        ++kinks;
        continue;
      }
      INFO(parameter.name << "[" << i << "]");
      CHECK(parameter.grad->data()[i] == Approx(wide).margin(margin).epsilon(1e-4));
      if (std::abs(parameter.grad->data()[i]) > 100 * margin) ++significant;
    }
  }
  CHECK(kinks <= 3);
  // Most checked gradients are far above the margin, so the checks bite.
  CHECK(significant >= 60);
}

TEST_CASE("the KL term is the closed form of KL(N(mu, sigma^2) || N(0, 1))", "[cvae]") {
  // With beta = 0 the total is the reconstruction alone; the KL reported
  // is the same whatever beta, and is >= 0.
  ConditionalVae<double> model(3, 2);
  Rng rng(3);
  model.reset_parameters(rng);
  const nn::Matrix<double> images = pattern_images(2, 0.3);
  const nn::Matrix<double> conditions = testing::pattern(2, 3, 1.1);
  const nn::Matrix<double> eps = testing::pattern(2, 2, 2.3);
  const LossTerms without = model.forward(images, conditions, eps, 0.0);
  const LossTerms with = model.forward(images, conditions, eps, 2.0);
  CHECK(without.total == without.reconstruction);
  CHECK(with.kl == without.kl);
  CHECK(with.kl >= 0.0);
  CHECK(with.total == Approx(with.reconstruction + 2.0 * with.kl / kPixels).epsilon(1e-14));
}

TEMPLATE_TEST_CASE("one VAE training step equals PyTorch's (tests/reference/cvae_reference.py)",
                   "[cvae]", float, double) {
  using T = TestType;
  ConditionalVae<T> model(3, 2);
  std::vector<nn::ParameterRef<T>> parameters = model.parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const std::string& name = parameters[i].name;
    const double scale = name == "mu.weight" || name == "logvar.weight" ? 0.002
                         : name == "decoder.0.weight"                   ? 0.1
                                                                        : 0.3;
    nn::Matrix<double> value =
        testing::pattern(parameters[i].value->rows(), parameters[i].value->cols(),
                         5.0 + static_cast<double>(i), scale);
    const bool norm_weight =
        name == "encoder.1.weight" || name == "encoder.4.weight" || name == "encoder.7.weight";
    if (norm_weight) value.array() += 1.0;
    *parameters[i].value = value.cast<T>();
  }
  model.zero_grad();
  const LossTerms terms =
      model.forward(pattern_images(2, 0.3).cast<T>(), testing::pattern(2, 3, 1.1).cast<T>(),
                    testing::pattern(2, 2, 2.3).cast<T>(), 50.0);
  using Golden = golden::CvaeStep<T>;
  // Sums over ~10 layers in another order than PyTorch's: 1e-10 in double;
  // in float, 1e-6 (each of those sums rounds at 6e-8).
  const double tolerance = std::is_same_v<T, float> ? 1e-6 : 1e-10;
  const double loss_tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  CHECK(terms.reconstruction == Approx(Golden::kLosses[0]).epsilon(loss_tolerance));
  CHECK(terms.kl == Approx(Golden::kLosses[1]).epsilon(loss_tolerance));
  CHECK(terms.total == Approx(Golden::kLosses[2]).epsilon(loss_tolerance));
  model.backward();
  const auto tensor = [&](const std::string& name) {
    for (const nn::ParameterRef<T>& p : parameters)
      if (p.name == name) return p;
    FAIL("no parameter " << name);
    return parameters.front();
  };
  testing::check_close(*tensor("encoder.0.weight").grad, Golden::kGradEncoder0Weight, tolerance);
  testing::check_close(*tensor("encoder.1.weight").grad, Golden::kGradEncoder1Weight, tolerance);
  testing::check_close(*tensor("mu.bias").grad, Golden::kGradMuBias, tolerance);
  testing::check_close(*tensor("logvar.bias").grad, Golden::kGradLogvarBias, tolerance);
  testing::check_close(*tensor("decoder.2.bias").grad, Golden::kGradDecoder2Bias, tolerance);
  testing::check_close(*tensor("decoder.6.weight").grad, Golden::kGradDecoder6Weight, tolerance);
  nn::Adam<T> adam(parameters, nn::AdamOptions{});
  adam.step();
  testing::check_close(*tensor("encoder.0.weight").value, Golden::kAdamEncoder0Weight, tolerance);
  testing::check_close(*tensor("encoder.1.weight").value, Golden::kAdamEncoder1Weight, tolerance);
  testing::check_close(*tensor("mu.bias").value, Golden::kAdamMuBias, tolerance);
  testing::check_close(*tensor("logvar.bias").value, Golden::kAdamLogvarBias, tolerance);
  testing::check_close(*tensor("decoder.2.bias").value, Golden::kAdamDecoder2Bias, tolerance);
  testing::check_close(*tensor("decoder.6.weight").value, Golden::kAdamDecoder6Weight, tolerance);
}

template <typename T>
struct Trained {
  TrainingLog log;
  std::vector<nn::Matrix<T>> decoder;
};

template <typename T>
Trained<T> train_small(std::uint64_t seed) {
  const nn::Matrix<double> images = pattern_images(10, 0.7);
  const nn::Matrix<double> conditions = testing::pattern(10, 5, 0.2);
  TrainingOptions options;
  options.epochs = 2;
  options.batch_size = 4;  // 4, 4, then 2: the short last batch too
  options.evaluation_rows = 4;
  options.spread_conditions = 3;
  ConditionalVae<T> model(5, 3);
  Rng rng(seed);
  Trained<T> trained{train(model, images, conditions, options, rng), {}};
  for (const auto& tensor : model.decoder().state()) trained.decoder.push_back(*tensor.value);
  return trained;
}

template <typename T>
bool same(const Trained<T>& a, const Trained<T>& b) {
  for (std::size_t i = 0; i < a.decoder.size(); ++i) {
    if (!testing::same_bits(a.decoder[i].data(), b.decoder[i].data(),
                            static_cast<std::size_t>(a.decoder[i].size())))
      return false;
  }
  for (std::size_t e = 0; e < a.log.epochs.size(); ++e) {
    const LossTerms &x = a.log.epochs[e], &y = b.log.epochs[e];
    if (!testing::same_bits(&x.total, &y.total, 1) || !testing::same_bits(&x.kl, &y.kl, 1))
      return false;
  }
  for (std::size_t e = 0; e < a.log.quality.size(); ++e) {
    const Quality &x = a.log.quality[e], &y = b.log.quality[e];
    if (!testing::same_bits(&x.reconstruction_mse, &y.reconstruction_mse, 1) ||
        !testing::same_bits(&x.condition_spread, &y.condition_spread, 1))
      return false;
  }
  return true;
}

TEMPLATE_TEST_CASE("VAE training is bit-identical when repeated and at every kernel level",
                   "[cvae]", float, double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  const std::vector<nn::kernels::Level> levels = testing::supported_kernel_levels();
  nn::kernels::use_level(levels.front());
  const Trained<T> first = train_small<T>(21);
  REQUIRE(first.log.epochs.size() == 2);
  REQUIRE(first.log.quality.size() == 3);
  CHECK(std::isfinite(first.log.epochs.back().total));
  CHECK(same(train_small<T>(21), first));
  for (nn::kernels::Level level : levels) {
    nn::kernels::use_level(level);
    INFO(nn::kernels::level_name(level) << " against " << nn::kernels::level_name(levels.front()));
    CHECK(same(train_small<T>(21), first));
  }
  // The seed reaches the draws (the check above could not fail otherwise).
  CHECK_FALSE(same(train_small<T>(22), first));
}

TEST_CASE("training refuses images without a condition each", "[cvae]") {
  ConditionalVae<double> model(5, 3);
  Rng rng(1);
  CHECK_THROWS_AS(train(model, pattern_images(3, 0.1), testing::pattern(2, 5, 0.0), {}, rng),
                  std::invalid_argument);
}

}  // namespace
}  // namespace rxflow::cvae

// The image layers of the layer library (Conv2d, BatchNorm2d, LeakyReLU)
// against PyTorch 1.13 (float64 and float32 values from
// tests/reference/nn_reference.py): forward, backward and one Adam step of
// each, and three training steps of a small discriminator built from them;
// in float64 also against central differences; and the same bits at every
// kernel level.
#include <catch2/catch.hpp>
#include <cmath>
#include <type_traits>

#include "kernel_levels.h"
#include "nn/activations.h"
#include "nn/adam.h"
#include "nn/batch_norm2d.h"
#include "nn/bce_loss.h"
#include "nn/conv2d.h"
#include "nn/tensor_check.h"
#include "nn_gradient_check.h"
#include "nn_pattern.h"
#include "nn_reference_check.h"

namespace rxflow::nn {
namespace {

using testing::check_close;
using testing::check_gradient;
using testing::Golden;
using testing::pattern;

// One Adam step (lr 1e-2, PyTorch's other defaults) on the gradients the
// last backward left.
template <typename T>
void adam_step(const std::vector<ParameterRef<T>>& parameters) {
  Adam<T>(parameters, AdamOptions{1e-2, 0.9, 0.999, 1e-8}).step();
}

TEMPLATE_TEST_CASE("Conv2d matches PyTorch forward, backward and one Adam step", "[nn][conv2d]",
                   float, double) {
  using T = TestType;
  SECTION("kernel 4, stride 2, padding 1, with bias") {
    Conv2d<T> layer(3, 2, 4, 2, 1, 8, 8);
    REQUIRE(layer.out_height() == 4);
    REQUIRE(layer.out_width() == 4);
    layer.weight = pattern<T>(2, 3 * 16, 8.0, 0.5);
    layer.bias = pattern<T>(1, 2, 8.1);
    Matrix<T> x = pattern<T>(2, 3 * 64, 8.2);
    check_close(layer.forward(x), Golden<T>::kConv2dOut);
    const Matrix<T> dy = pattern<T>(2, 2 * 16, 8.3);
    const Matrix<T> dx = layer.backward(dy);
    check_close(dx, Golden<T>::kConv2dDx);
    check_close(layer.grad_weight, Golden<T>::kConv2dDw);
    check_close(layer.grad_bias, Golden<T>::kConv2dDb);
    if constexpr (std::is_same_v<T, double>) {
      const Matrix<T> dw = layer.grad_weight;
      check_gradient(
          x, [&] { return layer.forward(x); }, dy, dx);
      check_gradient(
          layer.weight, [&] { return layer.forward(x); }, dy, dw);
    }
    adam_step(layer.parameters(""));
    check_close(layer.weight, Golden<T>::kConv2dAdam_weight);
    check_close(layer.bias, Golden<T>::kConv2dAdam_bias);
  }
  SECTION("kernel 3, stride 1, padding 1, a 5 x 6 image, no bias") {
    Conv2d<T> layer(2, 3, 3, 1, 1, 5, 6, /*has_bias=*/false);
    REQUIRE(layer.out_height() == 5);
    REQUIRE(layer.out_width() == 6);
    CHECK(layer.parameters("0.").size() == 1);
    layer.weight = pattern<T>(3, 2 * 9, 9.0, 0.5);
    Matrix<T> x = pattern<T>(3, 2 * 30, 9.2);
    check_close(layer.forward(x), Golden<T>::kConv2dOddOut);
    const Matrix<T> dy = pattern<T>(3, 3 * 30, 9.3);
    const Matrix<T> dx = layer.backward(dy);
    check_close(dx, Golden<T>::kConv2dOddDx);
    check_close(layer.grad_weight, Golden<T>::kConv2dOddDw);
    CHECK(layer.backward(dy, /*input_gradient=*/false).size() == 0);
    if constexpr (std::is_same_v<T, double>) {
      check_gradient(
          x, [&] { return layer.forward(x); }, dy, dx);
    }
    layer.zero_grad();
    layer.forward(x);
    layer.backward(dy);
    adam_step(layer.parameters(""));
    check_close(layer.weight, Golden<T>::kConv2dOddAdam_weight);
  }
}

TEMPLATE_TEST_CASE("LeakyReLU matches PyTorch", "[nn][conv2d]", float, double) {
  using T = TestType;
  Matrix<T> x = pattern<T>(3, 4, 10.0, 3.0);
  const Matrix<T> dy = pattern<T>(3, 4, 10.1);
  LeakyReLU<T> layer(0.2);
  check_close(layer.forward(x), Golden<T>::kLeakyReluOut);
  const Matrix<T> dx = layer.backward(dy);
  check_close(dx, Golden<T>::kLeakyReluDx);
  if constexpr (std::is_same_v<T, double>) {
    REQUIRE((x.array().abs() > 1e-3).all());  // away from the kink at 0
    check_gradient(
        x, [&] { return layer.forward(x); }, dy, dx);
  }
}

TEMPLATE_TEST_CASE("BatchNorm2d matches PyTorch in training, one Adam step and evaluation",
                   "[nn][conv2d]", float, double) {
  using T = TestType;
  BatchNorm2d<T> layer(3);
  layer.weight = pattern<T>(1, 3, 10.5, 2.0);
  layer.bias = pattern<T>(1, 3, 10.6);
  Matrix<T> x = pattern<T>(2, 3 * 20, 10.7, 3.0);
  const Matrix<T> dy = pattern<T>(2, 3 * 20, 10.8);
  check_close(layer.forward(x, true), Golden<T>::kBatchNorm2dOut);
  const Matrix<T> dx = layer.backward(dy);
  check_close(dx, Golden<T>::kBatchNorm2dDx);
  check_close(layer.grad_weight, Golden<T>::kBatchNorm2dDgamma);
  check_close(layer.grad_bias, Golden<T>::kBatchNorm2dDbeta);
  // Statistics over batch and pixels: biased to normalize, unbiased
  // (n = 2 * 4 * 5) in the running estimate, momentum 0.1.
  check_close(layer.running_mean, Golden<T>::kBatchNorm2dRunningMean);
  check_close(layer.running_var, Golden<T>::kBatchNorm2dRunningVar);
  CHECK(layer.num_batches_tracked(0, 0) == T{1});
  adam_step(layer.parameters(""));
  check_close(layer.weight, Golden<T>::kBatchNorm2dAdam_weight);
  check_close(layer.bias, Golden<T>::kBatchNorm2dAdam_bias);
  check_close(layer.forward(pattern<T>(2, 3 * 20, 10.9), false), Golden<T>::kBatchNorm2dEvalOut);
  if constexpr (std::is_same_v<T, double>) {
    BatchNorm2d<T> fresh(3);
    fresh.weight = pattern<T>(1, 3, 10.5, 2.0);
    fresh.bias = pattern<T>(1, 3, 10.6);
    check_gradient(
        x, [&] { return fresh.forward(x, true); }, dy, dx);
  }
}

TEST_CASE("Conv2d's default initialisation is uniform within 1/sqrt(C_in kH kW)", "[nn][conv2d]") {
  Rng rng(7), replay(7);
  Conv2d<double> conv(8, 16, 4, 2, 1, 8, 8);
  conv.reset_parameters(rng);
  // fan_in is C_in kH kW (PyTorch's, for a (C_out, C_in, kH, kW) weight), not C_out kH kW.
  const double bound = 1.0 / std::sqrt(8.0 * 16.0);
  CHECK(conv.weight.cwiseAbs().maxCoeff() <= bound);
  CHECK(conv.weight.cwiseAbs().maxCoeff() > 0.95 * bound);
  CHECK(conv.bias.cwiseAbs().maxCoeff() <= bound);
  CHECK(conv.weight.array().square().mean() == Approx(bound * bound / 3).epsilon(0.05));
  CHECK(conv.weight_shape() == TensorShape{16, 8, 4, 4});
  // Without a bias nothing is drawn for it: the next draw follows the weight's.
  Conv2d<double> no_bias(8, 16, 4, 2, 1, 8, 8, false);
  no_bias.reset_parameters(rng);
  for (Eigen::Index i = 0; i < conv.weight.size() + conv.bias.size(); ++i) replay.uniform();
  for (Eigen::Index i = 0; i < no_bias.weight.size(); ++i) replay.uniform();
  CHECK(rng.uniform() == replay.uniform());
}

// The discriminator of nn_reference.py's discriminator(): Conv2d(2, 4, 4, 2,
// 1, bias=False), BatchNorm2d(4), LeakyReLU(0.2), Conv2d(4, 1, 4, 1, 0),
// Sigmoid, on 8 x 8 images.
template <typename T>
struct Discriminator {
  Conv2d<T> conv1{2, 4, 4, 2, 1, 8, 8, false};
  BatchNorm2d<T> norm{4};
  LeakyReLU<T> leaky{0.2};
  Conv2d<T> conv2{4, 1, 4, 1, 0, 4, 4};
  Sigmoid<T> sigmoid;

  const Matrix<T>& forward(const Matrix<T>& x, bool training) {
    return sigmoid.forward(conv2.forward(leaky.forward(norm.forward(conv1.forward(x), training))));
  }
  void backward(const Matrix<T>& d_p) {
    conv1.backward(norm.backward(leaky.backward(conv2.backward(sigmoid.backward(d_p)))),
                   /*input_gradient=*/false);
  }
  std::vector<NamedTensor<T>> state() {
    return {{"0.weight", conv1.weight_shape(), &conv1.weight},
            {"1.weight", {4}, &norm.weight},
            {"1.bias", {4}, &norm.bias},
            {"1.running_mean", {4}, &norm.running_mean},
            {"1.running_var", {4}, &norm.running_var},
            {"1.num_batches_tracked", {}, &norm.num_batches_tracked},
            {"3.weight", conv2.weight_shape(), &conv2.weight},
            {"3.bias", {1}, &conv2.bias}};
  }
  std::vector<ParameterRef<T>> parameters() {
    std::vector<ParameterRef<T>> all = conv1.parameters("0.");
    for (ParameterRef<T>& p : norm.parameters("1.")) all.push_back(p);
    for (ParameterRef<T>& p : conv2.parameters("3.")) all.push_back(p);
    return all;
  }
};

// Three Adam steps (lr 1e-2) on pattern batches of 5, as the reference.
// Returns the losses.
template <typename T>
std::vector<T> train_three_steps(Discriminator<T>& model) {
  testing::fill_pattern(model.state(), 11.0);
  Adam<T> adam(model.parameters(), AdamOptions{1e-2, 0.9, 0.999, 1e-8});
  Matrix<T> y(5, 1);
  y << 1, 0, 1, 1, 0;
  std::vector<T> losses;
  for (int step = 0; step < 3; ++step) {
    adam.zero_grad();
    const Matrix<T>& p = model.forward(pattern<T>(5, 2 * 64, 12.0 + step), true);
    losses.push_back(bce_loss(p, y));
    model.backward(bce_loss_gradient(p, y));
    adam.step();
  }
  return losses;
}

TEMPLATE_TEST_CASE("three Adam steps of a small discriminator equal PyTorch's", "[nn][conv2d]",
                   float, double) {
  using T = TestType;
  // Rounding differences carry from step to step; no gradient here is close
  // to its own rounding (the convolution before BatchNorm has no bias), so
  // Adam's division does not magnify them.
  constexpr double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-10;
  Discriminator<T> model;
  const std::vector<T> losses = train_three_steps(model);
  for (int step = 0; step < 3; ++step) {
    INFO("step " << step);
    CHECK(static_cast<double>(losses[static_cast<std::size_t>(step)]) ==
          Approx(Golden<T>::kDiscriminatorLosses[step]).epsilon(tolerance));
  }
  const auto state = model.state();
  const double* expected[] = {
      Golden<T>::kDiscriminator_0_weight,      Golden<T>::kDiscriminator_1_weight,
      Golden<T>::kDiscriminator_1_bias,        Golden<T>::kDiscriminator_1_running_mean,
      Golden<T>::kDiscriminator_1_running_var, Golden<T>::kDiscriminator_1_num_batches_tracked,
      Golden<T>::kDiscriminator_3_weight,      Golden<T>::kDiscriminator_3_bias};
  for (std::size_t t = 0; t < state.size(); ++t) {
    INFO("tensor " << state[t].name);
    for (Eigen::Index i = 0; i < state[t].value->size(); ++i) {
      INFO("element " << i);
      CHECK(static_cast<double>(state[t].value->data()[i]) ==
            Approx(expected[t][i]).margin(tolerance).epsilon(tolerance));
    }
  }
  check_close(model.forward(pattern<T>(2, 2 * 64, 15.0), false), Golden<T>::kDiscriminatorEvalOut,
              tolerance);
}

TEMPLATE_TEST_CASE("the image layers train to the same bits at every kernel level",
                   "[nn][conv2d][kernels]", float, double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  const std::vector<kernels::Level> levels = testing::supported_kernel_levels();
  std::vector<std::vector<T>> results;
  for (kernels::Level level : levels) {
    kernels::use_level(level);
    Discriminator<T> model;
    std::vector<T> result = train_three_steps(model);
    for (const NamedTensor<T>& tensor : model.state()) {
      result.insert(result.end(), tensor.value->data(),
                    tensor.value->data() + tensor.value->size());
    }
    const Matrix<T>& p = model.forward(pattern<T>(2, 2 * 64, 15.0), false);
    result.insert(result.end(), p.data(), p.data() + p.size());
    results.push_back(std::move(result));
  }
  for (std::size_t i = 1; i < results.size(); ++i) {
    INFO(kernels::level_name(levels[i]) << " against " << kernels::level_name(levels[0]));
    REQUIRE(results[i].size() == results[0].size());
    CHECK(testing::same_bits(results[i].data(), results[0].data(), results[0].size()));
  }
}

TEMPLATE_TEST_CASE("the LeakyReLU kernels follow their formulas at every level",
                   "[nn][conv2d][kernels]", float, double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  Rng rng(14);
  const T slope = static_cast<T>(0.2);
  // Odd sizes for every vector remainder, and one past the AVX-512 unroll.
  for (kernels::Index n : {1, 7, 16, 33, 131, 4096}) {
    INFO("n " << n);
    std::vector<T> x(static_cast<std::size_t>(n)), d(x.size()), out_expected(x.size()),
        grad_expected(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<T>(rng.uniform(-1.0, 1.0));
      d[i] = static_cast<T>(rng.uniform(-1.0, 1.0));
    }
    x[0] = T{-0.0};  // not positive: scaled, keeping the sign of zero
    if (n > 1) x[1] = T{0.0};
    for (std::size_t i = 0; i < x.size(); ++i) {
      out_expected[i] = x[i] > T{0} ? x[i] : x[i] * slope;
      grad_expected[i] = x[i] > T{0} ? d[i] : d[i] * slope;
    }
    CHECK(std::signbit(out_expected[0]));
    for (kernels::Level level : testing::supported_kernel_levels()) {
      INFO(kernels::level_name(level));
      kernels::use_level(level);
      std::vector<T> out(x.size()), grad(x.size());
      kernels::active<T>().leaky_relu(x.data(), slope, out.data(), n);
      kernels::active<T>().leaky_relu_gradient(x.data(), d.data(), slope, grad.data(), n);
      CHECK(testing::same_bits(out.data(), out_expected.data(), out.size()));
      CHECK(testing::same_bits(grad.data(), grad_expected.data(), grad.size()));
    }
  }
}

}  // namespace
}  // namespace rxflow::nn

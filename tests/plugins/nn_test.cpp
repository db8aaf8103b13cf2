// The layer library against PyTorch 1.13 (float64 and float32 values from
// tests/reference/nn_reference.py) and, in float64, against central
// differences.
#include <catch2/catch.hpp>
#include <type_traits>

#include "nn/activations.h"
#include "nn/adam.h"
#include "nn/batch_norm1d.h"
#include "nn/bce_loss.h"
#include "nn/conv_transpose2d.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/tensor_check.h"
#include "nn_gradient_check.h"
#include "nn_pattern.h"
#include "nn_reference_check.h"

namespace rxflow::nn {
namespace {

using testing::pattern;
using Matrix = nn::Matrix<double>;
using testing::check_close;
using testing::check_gradient;
using testing::Golden;
using testing::kRoundingTolerance;

TEMPLATE_TEST_CASE("Linear matches PyTorch forward and backward", "[nn]", float, double) {
  using T = TestType;
  Linear<T> layer(3, 2);
  layer.weight = pattern<T>(2, 3, 0.1);
  layer.bias = pattern<T>(1, 2, 0.2);
  nn::Matrix<T> x = pattern<T>(4, 3, 0.3);
  const nn::Matrix<T> dy = pattern<T>(4, 2, 0.4);
  check_close(layer.forward(x), Golden<T>::kLinearOut);
  const nn::Matrix<T> dx = layer.backward(dy);
  check_close(dx, Golden<T>::kLinearDx);
  check_close(layer.grad_weight, Golden<T>::kLinearDw);
  check_close(layer.grad_bias, Golden<T>::kLinearDb);
  if constexpr (std::is_same_v<T, double>) {
    check_gradient(
        x, [&] { return layer.forward(x); }, dy, dx);
    const Matrix dw = layer.grad_weight;
    layer.zero_grad();
    CHECK(layer.grad_weight.isZero());
    check_gradient(
        layer.weight, [&] { return layer.forward(x); }, dy, dw);
  }
}

TEMPLATE_TEST_CASE("BatchNorm1d matches PyTorch in training and evaluation", "[nn]", float,
                   double) {
  using T = TestType;
  BatchNorm1d<T> layer(3);
  layer.weight = pattern<T>(1, 3, 0.5, 2.0);
  layer.bias = pattern<T>(1, 3, 0.6);
  nn::Matrix<T> x = pattern<T>(5, 3, 0.7, 3.0);
  const nn::Matrix<T> dy = pattern<T>(5, 3, 0.8);
  check_close(layer.forward(x, true), Golden<T>::kBatchNormOut);
  const nn::Matrix<T> dx = layer.backward(dy);
  check_close(dx, Golden<T>::kBatchNormDx);
  check_close(layer.grad_weight, Golden<T>::kBatchNormDgamma);
  check_close(layer.grad_bias, Golden<T>::kBatchNormDbeta);
  // Biased variance to normalize, unbiased in the running estimate, momentum 0.1.
  check_close(layer.running_mean, Golden<T>::kBatchNormRunningMean);
  check_close(layer.running_var, Golden<T>::kBatchNormRunningVar);
  CHECK(layer.num_batches_tracked(0, 0) == T{1});
  check_close(layer.forward(pattern<T>(2, 3, 0.9), false), Golden<T>::kBatchNormEvalOut);
  if constexpr (std::is_same_v<T, double>) {
    check_gradient(
        x, [&] { return layer.forward(x, true); }, dy, dx);
  }
}

TEMPLATE_TEST_CASE("ReLU, Sigmoid and Tanh match PyTorch", "[nn]", float, double) {
  using T = TestType;
  const nn::Matrix<T> x = pattern<T>(3, 4, 1.0, 3.0);
  const nn::Matrix<T> dy = pattern<T>(3, 4, 1.1);
  ReLU<T> relu;
  check_close(relu.forward(x), Golden<T>::kReluOut);
  check_close(relu.backward(dy), Golden<T>::kReluDx);
  Sigmoid<T> sigmoid;
  check_close(sigmoid.forward(x), Golden<T>::kSigmoidOut);
  check_close(sigmoid.backward(dy), Golden<T>::kSigmoidDx);
  Tanh<T> tanh;
  check_close(tanh.forward(x), Golden<T>::kTanhOut);
  check_close(tanh.backward(dy), Golden<T>::kTanhDx);
}

TEST_CASE("activations and BCE pass central-difference gradient checks", "[nn]") {
  // Inputs kept away from ReLU's kink at 0, where the derivative is undefined.
  Matrix x = pattern(3, 4, 1.0, 3.0);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (std::abs(x.data()[i]) < 1e-3) x.data()[i] = 0.5;
  }
  const Matrix dy = pattern(3, 4, 1.1);
  ReLU<double> relu;
  relu.forward(x);
  const Matrix relu_dx = relu.backward(dy);
  check_gradient(
      x, [&] { return relu.forward(x); }, dy, relu_dx);
  Sigmoid<double> sigmoid;
  sigmoid.forward(x);
  const Matrix sigmoid_dx = sigmoid.backward(dy);
  check_gradient(
      x, [&] { return sigmoid.forward(x); }, dy, sigmoid_dx);
  Tanh<double> tanh;
  tanh.forward(x);
  const Matrix tanh_dx = tanh.backward(dy);
  check_gradient(
      x, [&] { return tanh.forward(x); }, dy, tanh_dx);

  Matrix p(4, 1), y(4, 1);
  p << 0.9, 0.2, 0.6, 0.35;
  y << 1.0, 0.0, 0.0, 1.0;
  const Matrix analytic = bce_loss_gradient(p, y);
  check_gradient(
      p, [&] { return Matrix::Constant(1, 1, bce_loss(p, y)); }, Matrix::Ones(1, 1), analytic);
}

TEMPLATE_TEST_CASE("ConvTranspose2d matches PyTorch forward and backward", "[nn]", float, double) {
  using T = TestType;
  ConvTranspose2d<T> layer(3, 2, 4, 2, 1, 4, 4);
  layer.weight = pattern<T>(3, 2 * 16, 1.2, 0.5);
  layer.bias = pattern<T>(1, 2, 1.3);
  nn::Matrix<T> x = pattern<T>(2, 3 * 16, 1.4);
  const nn::Matrix<T>& y = layer.forward(x);
  REQUIRE(y.cols() == 2 * 8 * 8);
  check_close(y, Golden<T>::kConvTransposeOut);
  const nn::Matrix<T> dy = pattern<T>(2, 2 * 64, 1.5);
  const nn::Matrix<T> dx = layer.backward(dy);
  check_close(dx, Golden<T>::kConvTransposeDx);
  check_close(layer.grad_weight, Golden<T>::kConvTransposeDw);
  check_close(layer.grad_bias, Golden<T>::kConvTransposeDb);
  if constexpr (std::is_same_v<T, double>) {
    check_gradient(
        x, [&] { return layer.forward(x); }, dy, dx);
  }
}

TEMPLATE_TEST_CASE("BCE loss and gradient match PyTorch, log clamp included", "[nn]", float,
                   double) {
  using T = TestType;
  nn::Matrix<T> p(6, 1), y(6, 1);
  // 1e-50 is 0 in float, as in PyTorch's float32 tensor.
  p << T(0.9), T(0.2), T(0.5), T(1.0), T(0.0), static_cast<T>(1e-50);
  y << 1, 0, 1, 0, 1, 0;
  CHECK(static_cast<double>(bce_loss(p, y)) ==
        Approx(Golden<T>::kBceLoss).epsilon(kRoundingTolerance<T>));
  check_close(bce_loss_gradient(p, y), Golden<T>::kBceGrad);
}

TEMPLATE_TEST_CASE("Adam matches PyTorch over three steps", "[nn]", float, double) {
  using T = TestType;
  nn::Matrix<T> w = pattern<T>(2, 3, 1.6);
  nn::Matrix<T> grad = nn::Matrix<T>::Zero(2, 3);
  Adam<T> adam({{"w", &w, &grad}}, AdamOptions{1e-2, 0.9, 0.999, 1e-8});
  for (int step = 0; step < 3; ++step) {
    adam.zero_grad();
    grad = pattern<T>(2, 3, 1.7 + step);
    adam.step();
  }
  check_close(w, Golden<T>::kAdamAfter3);
}

TEST_CASE("default initialisation is uniform within +-1/sqrt(fan_in)", "[nn]") {
  Rng rng(3);
  Linear<double> linear(50, 40);
  linear.reset_parameters(rng);
  const double bound = 1.0 / std::sqrt(50.0);
  CHECK(linear.weight.maxCoeff() <= bound);
  CHECK(linear.weight.minCoeff() >= -bound);
  CHECK(linear.weight.maxCoeff() > 0.95 * bound);
  CHECK(linear.weight.array().square().mean() == Approx(bound * bound / 3).epsilon(0.05));
  // ConvTranspose2d's fan_in is dimension 1 of its (in, out, kH, kW) weight: out * kH * kW.
  ConvTranspose2d<double> conv(16, 8, 4, 2, 1, 2, 2);
  conv.reset_parameters(rng);
  const double conv_bound = 1.0 / std::sqrt(8.0 * 16.0);
  CHECK(conv.weight.cwiseAbs().maxCoeff() <= conv_bound);
  CHECK(conv.weight.cwiseAbs().maxCoeff() > 0.95 * conv_bound);
  CHECK(conv.bias.cwiseAbs().maxCoeff() <= conv_bound);
}

TEST_CASE("Dropout is inverted: kept elements scaled by 1/(1-p), identity in evaluation", "[nn]") {
  Rng rng(4);
  Dropout<double> dropout(0.2);
  const Matrix x = Matrix::Ones(200, 100);
  const Matrix& y = dropout.forward(x, true, rng);
  const double kept = (y.array() > 0).cast<double>().mean();
  CHECK(kept == Approx(0.8).margin(0.01));
  CHECK(((y.array() == 0) || (y.array() == 1.25)).all());
  CHECK(y.mean() == Approx(1.0).margin(0.015));
  const Matrix dx = dropout.backward(Matrix::Ones(200, 100));
  CHECK(dx == y);
  CHECK(dropout.forward(x, false, rng) == x);
}

TEST_CASE("a float32 layer starts from the float64 draws rounded and drops the same elements",
          "[nn]") {
  Rng double_rng(5), float_rng(5);
  Linear<double> wide(7, 5);
  Linear<float> narrow(7, 5);
  wide.reset_parameters(double_rng);
  narrow.reset_parameters(float_rng);
  CHECK(narrow.weight == wide.weight.cast<float>());
  CHECK(narrow.bias == wide.bias.cast<float>());
  Dropout<double> wide_dropout(0.3);
  Dropout<float> narrow_dropout(0.3);
  const Matrix& kept = wide_dropout.forward(Matrix::Ones(40, 30), true, double_rng);
  const nn::Matrix<float>& narrow_kept =
      narrow_dropout.forward(nn::Matrix<float>::Ones(40, 30), true, float_rng);
  CHECK(((kept.array() > 0) == (narrow_kept.array() > 0)).all());
  CHECK((narrow_kept.array() == 0.0f || narrow_kept.array() == 1.0f / 0.7f).all());
}

TEST_CASE("non-finite inputs and wrong state_dicts are refused by name", "[nn]") {
  Artifact bad = Artifact::matrix(2, 2, {1.0, 2.0, std::nan(""), 4.0});
  CHECK_THROWS_WITH(require_finite(bad, "input \"features\""),
                    "input \"features\" holds a non-finite value (nan) at [1, 0]");
  Matrix weight = Matrix::Zero(2, 3), bias = Matrix::Zero(1, 2);
  const std::vector<NamedTensor<double>> state{{"0.weight", {2, 3}, &weight},
                                               {"0.bias", {2}, &bias}};
  const Artifact w = Artifact::matrix(2, 3, {1, 2, 3, 4, 5, 6});
  const Artifact b{{2}, std::vector<double>{7, 8}, {}};
  CHECK_THROWS_WITH(load_state_dict(state, {{"0.weight", w}}, "w.h5"),
                    "w.h5: tensor \"0.bias\" is missing (expected shape [2])");
  CHECK_THROWS_WITH(load_state_dict(state, {{"0.weight", w}, {"0.bias", b}, {"9.bias", b}}, "w.h5"),
                    "w.h5: tensor \"9.bias\" is not part of this network (shape [2])");
  CHECK_THROWS_WITH(
      load_state_dict(
          state, {{"0.weight", Artifact::matrix(3, 2, {1, 2, 3, 4, 5, 6})}, {"0.bias", b}}, "w.h5"),
      "w.h5: tensor \"0.weight\": expected shape [2, 3], found [3, 2] of float64");
  load_state_dict(state, {{"0.weight", w}, {"0.bias", b}}, "w.h5");
  CHECK(weight(1, 2) == 6.0);
  CHECK(bias(0, 1) == 8.0);
}

}  // namespace
}  // namespace rxflow::nn

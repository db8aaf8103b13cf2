#include "conv_decoder.h"

#include <catch2/catch.hpp>

#include "kernel_levels.h"
#include "nn_pattern.h"
#include "nn_reference_check.h"

namespace rxflow::decoder {
namespace {

TEST_CASE("the decoder's forward pass equals PyTorch's on the same weights and latent",
          "[decoder]") {
  ConvDecoder<double> decoder(100, OutputActivation::kSigmoid);
  testing::fill_pattern(decoder.state(), 6.0);
  const nn::Matrix<double> image = decoder.forward(testing::pattern(1, 100, 7.0));
  REQUIRE(image.size() == 64 * 64);
  double worst = 0;
  for (Eigen::Index i = 0; i < image.size(); ++i)
    worst = std::max(worst, std::abs(image.data()[i] - testing::Golden<double>::kDecoderImage[i]));
  CHECK(worst < 1e-12);  // the issue asks for 1e-5; float64 on both sides gives rounding only
}

TEST_CASE("the decoder draws the same bits at every kernel level", "[decoder]") {
  testing::KernelLevelGuard guard;
  ConvDecoder<double> decoder(100, OutputActivation::kSigmoid);
  Rng rng(5);
  decoder.reset_parameters(rng);
  const nn::Matrix<double> latent = testing::pattern(2, 100, 3.0);
  std::vector<nn::Matrix<double>> images;
  for (nn::kernels::Level level : testing::supported_kernel_levels()) {
    nn::kernels::use_level(level);
    images.push_back(decoder.forward(latent));
  }
  for (std::size_t i = 1; i < images.size(); ++i) {
    INFO(nn::kernels::level_name(testing::supported_kernel_levels()[i]) << " against sse2");
    CHECK(testing::same_bits(images[i].data(), images[0].data(), images[0].size()));
  }
}

TEST_CASE("decoder images are 64x64 in [0, 1] with either output activation", "[decoder]") {
  for (OutputActivation activation : {OutputActivation::kSigmoid, OutputActivation::kTanh}) {
    ConvDecoder<double> decoder(16, activation);
    Rng rng(2);
    decoder.reset_parameters(rng);
    const nn::Matrix<double> images = decoder.forward(testing::pattern(3, 16, 0.5, 5.0));
    CHECK(images.rows() == 3);
    CHECK(images.cols() == 64 * 64);
    CHECK(images.minCoeff() >= 0.0);
    CHECK(images.maxCoeff() <= 1.0);
    CHECK(images.maxCoeff() - images.minCoeff() > 1e-3);  // not a constant image
  }
}

}  // namespace
}  // namespace rxflow::decoder

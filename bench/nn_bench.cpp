// Times the neural stages in-process, as bench/baseline/nn_baseline.py
// times PyTorch: the case-study training (200 rows of 39 inputs: 120 train,
// 40 validation, 10 epochs, batch 16), one decoder forward pass, a large
// training epoch (10^5 rows, batch 256) with its GFLOP/s, and the GEMM peaks
// of Eigen and of rxflow's kernels here. The case-study training is timed at
// every kernel level the CPU supports (nn/kernels.h), the default (widest)
// last. Prints medians of `repeats` runs, one line per figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "conv_decoder.h"
#include "nn/kernels.h"
#include "training.h"

namespace {

using Clock = std::chrono::steady_clock;

double median_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

rxflow::nn::Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, rxflow::Rng& rng) {
  rxflow::nn::Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform();
  return m;
}

// Multiply-adds of one forward+backward pass of the classifier per row,
// times 2 flops each, times 3 (forward, input gradient, weight gradient).
double training_flops_per_row(const rxflow::ffnn::FfnnShape& s) {
  const double macs = double(s.inputs) * s.hidden1 + double(s.hidden1) * s.hidden2 + s.hidden2;
  return 2.0 * macs * 3.0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rxflow;
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 21;
  Rng data_rng(1);

  {  // The case study's training, at each kernel level.
    const nn::Matrix inputs = random_matrix(200, 39, data_rng);
    nn::Matrix labels = (random_matrix(200, 1, data_rng).array() > 0.5).cast<double>();
    const nn::kernels::Level widest = nn::kernels::active_level();
    for (nn::kernels::Level level : nn::kernels::kLevels) {
      if (!nn::kernels::supported(level)) continue;
      nn::kernels::use_level(level);
      const double seconds = median_seconds(repeats, [&] {
        Rng rng(7);
        ffnn::FfnnClassifier model((ffnn::FfnnShape()));
        model.reset_parameters(rng);
        const ffnn::Folds folds = ffnn::split_folds(200, 0.6, 0.2, rng);
        ffnn::train_classifier(model, inputs, labels, folds, ffnn::TrainingOptions{}, rng);
      });
      std::printf("case_study_training_ms_%s %.3f\n", nn::kernels::level_name(level),
                  seconds * 1e3);
    }
    nn::kernels::use_level(widest);
    std::printf("kernel_level %s\n", nn::kernels::level_name(widest));
  }
  {  // One image.
    decoder::ConvDecoder decoder(100, decoder::OutputActivation::kSigmoid);
    Rng rng(3);
    decoder.reset_parameters(rng);
    const nn::Matrix latent = random_matrix(1, 100, data_rng);
    const double seconds = median_seconds(repeats, [&] { decoder.forward(latent); });
    std::printf("decoder_forward_ms %.3f\n", seconds * 1e3);
  }
  {  // A large epoch.
    const int rows = 100'000;
    const nn::Matrix inputs = random_matrix(rows, 39, data_rng);
    nn::Matrix labels = (random_matrix(rows, 1, data_rng).array() > 0.5).cast<double>();
    ffnn::Folds folds;
    for (int i = 0; i < rows; ++i) (i < rows - 2 ? folds.train : folds.validation).push_back(i);
    ffnn::TrainingOptions options;
    options.epochs = 1;
    options.batch_size = 256;
    const double seconds = median_seconds(std::max(3, repeats / 5), [&] {
      Rng rng(9);
      ffnn::FfnnClassifier model((ffnn::FfnnShape()));
      model.reset_parameters(rng);
      ffnn::train_classifier(model, inputs, labels, folds, options, rng);
    });
    const double gflops = training_flops_per_row(ffnn::FfnnShape()) * rows / seconds / 1e9;
    std::printf("large_epoch_s %.3f\nlarge_epoch_gflops %.2f\n", seconds, gflops);
  }
  {  // Eigen's and the kernels' double GEMM peaks on one core.
    const nn::Matrix a = random_matrix(1024, 1024, data_rng),
                     b = random_matrix(1024, 1024, data_rng);
    nn::Matrix c(1024, 1024);
    const double flops = 2.0 * 1024 * 1024 * 1024;
    const double eigen = median_seconds(5, [&] { c.noalias() = a * b; });
    std::printf("eigen_gemm_gflops %.2f\n", flops / eigen / 1e9);
    const double kernel = median_seconds(5, [&] { nn::multiply(nn::view(a), nn::view(b), c); });
    std::printf("kernel_gemm_gflops %.2f\n", flops / kernel / 1e9);
  }
  return 0;
}

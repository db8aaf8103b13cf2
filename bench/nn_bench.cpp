// Times the neural stages in-process, as bench/baseline/nn_baseline.py
// times PyTorch: the case-study training (200 rows of 39 inputs: 120 train,
// 40 validation, 10 epochs, batch 16), one decoder forward pass, a large
// training epoch (10^5 rows, batch 256) with its GFLOP/s, and the GEMM peaks
// of Eigen and of rxflow's kernels here. The training figures and the GEMM
// peaks are given for both compute types, float64 and float32 (PyTorch's
// default, which the baseline runs); the case-study training is timed at
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

template <typename T>
rxflow::nn::Matrix<T> random_matrix(Eigen::Index rows, Eigen::Index cols, rxflow::Rng& rng) {
  rxflow::nn::Matrix<T> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(rng.uniform());
  return m;
}

template <typename T>
rxflow::nn::Matrix<T> random_labels(Eigen::Index rows, rxflow::Rng& rng) {
  return (random_matrix<T>(rows, 1, rng).array() > T{0.5}).template cast<T>();
}

// Multiply-adds of one forward+backward pass of the classifier per row,
// times 2 flops each, times 3 (forward, input gradient, weight gradient).
double training_flops_per_row(const rxflow::ffnn::FfnnShape& s) {
  const double macs = double(s.inputs) * s.hidden1 + double(s.hidden1) * s.hidden2 + s.hidden2;
  return 2.0 * macs * 3.0;
}

template <typename T>
void case_study_training(int repeats, rxflow::Rng& data_rng) {
  using namespace rxflow;
  const nn::Matrix<T> inputs = random_matrix<T>(200, 39, data_rng);
  const nn::Matrix<T> labels = random_labels<T>(200, data_rng);
  const nn::kernels::Level widest = nn::kernels::active_level();
  for (nn::kernels::Level level : nn::kernels::kLevels) {
    if (!nn::kernels::supported(level)) continue;
    nn::kernels::use_level(level);
    const double seconds = median_seconds(repeats, [&] {
      Rng rng(7);
      ffnn::FfnnClassifier<T> model((ffnn::FfnnShape()));
      model.reset_parameters(rng);
      const ffnn::Folds folds = ffnn::split_folds(200, 0.6, 0.2, rng);
      ffnn::train_classifier(model, inputs, labels, folds, ffnn::TrainingOptions{}, rng);
    });
    std::printf("case_study_training_ms_%s_%s %.3f\n", nn::type_name<T>(),
                nn::kernels::level_name(level), seconds * 1e3);
  }
  nn::kernels::use_level(widest);
}

template <typename T>
void large_epoch(int repeats, rxflow::Rng& data_rng) {
  using namespace rxflow;
  const int rows = 100'000;
  const nn::Matrix<T> inputs = random_matrix<T>(rows, 39, data_rng);
  const nn::Matrix<T> labels = random_labels<T>(rows, data_rng);
  ffnn::Folds folds;
  for (int i = 0; i < rows; ++i) (i < rows - 2 ? folds.train : folds.validation).push_back(i);
  ffnn::TrainingOptions options;
  options.epochs = 1;
  options.batch_size = 256;
  const double seconds = median_seconds(std::max(3, repeats / 5), [&] {
    Rng rng(9);
    ffnn::FfnnClassifier<T> model((ffnn::FfnnShape()));
    model.reset_parameters(rng);
    ffnn::train_classifier(model, inputs, labels, folds, options, rng);
  });
  const double gflops = training_flops_per_row(ffnn::FfnnShape()) * rows / seconds / 1e9;
  std::printf("large_epoch_s_%s %.3f\nlarge_epoch_gflops_%s %.2f\n", nn::type_name<T>(), seconds,
              nn::type_name<T>(), gflops);
}

// Eigen's and the kernels' GEMM peaks on one core.
template <typename T>
void gemm_peaks(rxflow::Rng& data_rng) {
  using namespace rxflow;
  const nn::Matrix<T> a = random_matrix<T>(1024, 1024, data_rng),
                      b = random_matrix<T>(1024, 1024, data_rng);
  nn::Matrix<T> c(1024, 1024);
  const double flops = 2.0 * 1024 * 1024 * 1024;
  const double eigen = median_seconds(5, [&] { c.noalias() = a * b; });
  std::printf("eigen_gemm_gflops_%s %.2f\n", nn::type_name<T>(), flops / eigen / 1e9);
  const double kernel = median_seconds(5, [&] { nn::multiply(nn::view(a), nn::view(b), c); });
  std::printf("kernel_gemm_gflops_%s %.2f\n", nn::type_name<T>(), flops / kernel / 1e9);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rxflow;
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 21;
  Rng data_rng(1);
  case_study_training<double>(repeats, data_rng);
  case_study_training<float>(repeats, data_rng);
  std::printf("kernel_level %s\n", nn::kernels::level_name(nn::kernels::active_level()));
  {  // One image.
    decoder::ConvDecoder<double> decoder(100, decoder::OutputActivation::kSigmoid);
    Rng rng(3);
    decoder.reset_parameters(rng);
    const nn::Matrix<double> latent = random_matrix<double>(1, 100, data_rng);
    const double seconds = median_seconds(repeats, [&] { decoder.forward(latent); });
    std::printf("decoder_forward_ms %.3f\n", seconds * 1e3);
  }
  large_epoch<double>(repeats, data_rng);
  large_epoch<float>(repeats, data_rng);
  gemm_peaks<double>(data_rng);
  gemm_peaks<float>(data_rng);
  return 0;
}

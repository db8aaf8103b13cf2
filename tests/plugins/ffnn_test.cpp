// The Section 6.1 classifier, in float64 and float32: training steps equal
// PyTorch's in the same type, weights move both ways in PyTorch's state_dict
// layout, and training is deterministic.
#include <catch2/catch.hpp>
#include <set>
#include <type_traits>

#include "kernel_levels.h"
#include "nn/bce_loss.h"
#include "nn_pattern.h"
#include "nn_reference_check.h"
#include "store/tensor_file.h"
#include "test_support.h"
#include "training.h"

namespace rxflow::ffnn {
namespace {

using testing::pattern;
using Matrix = nn::Matrix<double>;
using testing::check_close;
using testing::Golden;

// Equal to PyTorch's in the same type after training steps, in which the
// rounding of each step carries into the next.
template <typename T>
constexpr double kTrainingTolerance = std::is_same_v<T, float> ? 1e-5 : 1e-10;

// How far a tensor may be from PyTorch's after the three Adam steps (lr
// 1e-3) of the test below.
template <typename T>
double trained_tolerance(const std::string& name) {
  constexpr double lr = 1e-3;
  // 0.bias feeds BatchNorm, which cancels any shift: its exact gradient is
  // zero, so both frameworks hand Adam rounding noise, and Adam turns noise
  // into steps of up to lr. Only that bound can be compared there.
  if (name == "0.bias") return 3 * lr;
  if constexpr (std::is_same_v<T, float>) {
    // The running mean takes 0.1 of each batch mean, which holds that bias
    // after the first step: up to 0.1 (lr + 2 lr).
    if (name == "1.running_mean") return 0.3 * lr;
    // Adam divides each gradient by its own size, so where a float32
    // gradient is close to its rounding the two frameworks' steps differ by
    // a few per cent of lr.
    return 0.05 * lr;
  }
  return kTrainingTolerance<T>;
}

TEMPLATE_TEST_CASE("three Adam steps of the classifier equal PyTorch's", "[ffnn]", float, double) {
  using T = TestType;
  FfnnClassifier<T> model(FfnnShape{9, 16, 8, 0.0});
  testing::fill_pattern(model.state(), 2.0);
  nn::Adam<T> adam(model.parameters(), nn::AdamOptions{});
  nn::Matrix<T> y(6, 1);
  y << 1, 0, 1, 1, 0, 0;
  Rng unused(0);
  for (int step = 0; step < 3; ++step) {
    adam.zero_grad();
    const nn::Matrix<T>& p = model.forward(pattern<T>(6, 9, 3.0 + step), true, unused);
    CHECK(static_cast<double>(nn::bce_loss(p, y)) ==
          Approx(Golden<T>::kTrainLosses[step]).epsilon(kTrainingTolerance<T>));
    model.backward(nn::bce_loss_gradient(p, y));
    adam.step();
  }
  const auto state = model.state();
  const double* expected[] = {Golden<T>::kTrained_0_weight,
                              Golden<T>::kTrained_0_bias,
                              Golden<T>::kTrained_1_weight,
                              Golden<T>::kTrained_1_bias,
                              Golden<T>::kTrained_1_running_mean,
                              Golden<T>::kTrained_1_running_var,
                              Golden<T>::kTrained_1_num_batches_tracked,
                              Golden<T>::kTrained_4_weight,
                              Golden<T>::kTrained_4_bias,
                              Golden<T>::kTrained_6_weight,
                              Golden<T>::kTrained_6_bias};
  for (std::size_t t = 0; t < state.size(); ++t) {
    INFO("tensor " << state[t].name);
    const double tolerance = trained_tolerance<T>(state[t].name);
    for (Eigen::Index i = 0; i < state[t].value->size(); ++i) {
      INFO("element " << i);
      CHECK(static_cast<double>(state[t].value->data()[i]) ==
            Approx(expected[t][i]).margin(tolerance).epsilon(kTrainingTolerance<T>));
    }
  }
  check_close(predict(model, pattern<T>(4, 9, 4.0)), Golden<T>::kTrainedEvalOut,
              trained_tolerance<T>("predictions"));
}

TEMPLATE_TEST_CASE(
    "a state_dict saved by PyTorch loads and predicts as in PyTorch, and round-trips", "[ffnn]",
    float, double) {
  using T = TestType;
  FfnnClassifier<T> model((FfnnShape()));
  nn::load_state_dict(model.state(),
                      read_tensor_file(RXFLOW_SOURCE_DIR "/tests/reference/classifier_state.h5"),
                      "classifier_state.h5");
  const nn::Matrix<T> inputs = pattern<T>(5, 39, 5.0);
  check_close(predict(model, inputs), Golden<T>::kInteropEvalOut);

  testing::TempDir dir;
  write_tensor_file(dir.file("weights.h5"), nn::state_dict_artifacts(model.state()));
  FfnnClassifier<T> reloaded((FfnnShape()));
  nn::load_state_dict(reloaded.state(), read_tensor_file(dir.file("weights.h5")), "weights.h5");
  CHECK(predict(reloaded, inputs) == predict(model, inputs));
}

TEST_CASE("folds partition the rows and are seeded", "[ffnn]") {
  Rng a(1), b(1), c(2);
  const Folds folds = split_folds(200, 0.6, 0.2, a);
  CHECK(folds.train.size() == 120);
  CHECK(folds.validation.size() == 40);
  CHECK(folds.test.size() == 40);
  std::set<std::size_t> all(folds.train.begin(), folds.train.end());
  all.insert(folds.validation.begin(), folds.validation.end());
  all.insert(folds.test.begin(), folds.test.end());
  CHECK(all.size() == 200);
  CHECK(split_folds(200, 0.6, 0.2, b).test == folds.test);
  CHECK(split_folds(200, 0.6, 0.2, c).test != folds.test);
  CHECK_THROWS_WITH(split_folds(3, 0.6, 0.2, a), Catch::Matchers::Contains("leaves a fold empty"));
}

template <typename T = double>
struct Data {
  nn::Matrix<T> inputs, labels;
};

// Separable: the label is whether the first two columns sum above 1.
template <typename T = double>
Data<T> separable(int rows, std::uint64_t seed) {
  Rng rng(seed);
  Data<T> data{nn::Matrix<T>(rows, 5), nn::Matrix<T>(rows, 1)};
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < 5; ++j) data.inputs(i, j) = static_cast<T>(rng.uniform());
    data.labels(i, 0) = data.inputs(i, 0) + data.inputs(i, 1) > T{1} ? T{1} : T{0};
  }
  return data;
}

TEST_CASE("training is bit-for-bit repeatable and learns", "[ffnn]") {
  const Data data = separable(300, 9);
  auto train_once = [&](std::uint64_t seed) {
    Rng rng(seed);
    FfnnClassifier<double> model(FfnnShape{5, 32, 8, 0.2});
    model.reset_parameters(rng);
    const Folds folds = split_folds(300, 0.6, 0.2, rng);
    TrainingOptions options;
    options.epochs = 30;
    options.adam.lr = 1e-2;
    const TrainingLog log = train_classifier(model, data.inputs, data.labels, folds, options, rng);
    return std::make_pair(log, nn::state_dict_artifacts(model.state()));
  };
  const auto [log_a, state_a] = train_once(5);
  const auto [log_b, state_b] = train_once(5);
  const auto [log_c, state_c] = train_once(6);
  CHECK(log_a.train_loss == log_b.train_loss);
  CHECK(log_a.validation_loss == log_b.validation_loss);
  for (std::size_t i = 0; i < state_a.size(); ++i)
    CHECK(state_a[i].second.values == state_b[i].second.values);
  CHECK(log_a.train_loss != log_c.train_loss);
  REQUIRE(log_a.validation_loss.size() == 30);
  CHECK(log_a.validation_loss.back() < 0.6 * log_a.validation_loss.front());
}

TEMPLATE_TEST_CASE("training gives the same bits at every kernel level", "[ffnn]", float, double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  // The case study's network on random data, and odd widths for the kernels'
  // remainder paths.
  for (const FfnnShape& shape : {FfnnShape{}, FfnnShape{7, 33, 5, 0.2}}) {
    Rng data_rng(4);
    nn::Matrix<T> inputs(200, shape.inputs), labels(200, 1);
    for (Eigen::Index i = 0; i < inputs.size(); ++i)
      inputs.data()[i] = static_cast<T>(data_rng.uniform());
    for (Eigen::Index i = 0; i < labels.size(); ++i)
      labels.data()[i] = static_cast<T>(data_rng.bernoulli(0.5));
    std::vector<std::pair<TrainingLog, std::vector<T>>> results;
    for (nn::kernels::Level level : testing::supported_kernel_levels()) {
      nn::kernels::use_level(level);
      Rng rng(8);
      FfnnClassifier<T> model(shape);
      model.reset_parameters(rng);
      const Folds folds = split_folds(200, 0.6, 0.2, rng);
      TrainingLog log = train_classifier(model, inputs, labels, folds, TrainingOptions{}, rng);
      std::vector<T> values;
      for (const nn::NamedTensor<T>& tensor : model.state()) {
        values.insert(values.end(), tensor.value->data(),
                      tensor.value->data() + tensor.value->size());
      }
      const nn::Matrix<T> p = predict(model, inputs);
      values.insert(values.end(), p.data(), p.data() + p.size());
      results.emplace_back(std::move(log), std::move(values));
    }
    for (std::size_t i = 1; i < results.size(); ++i) {
      INFO(nn::kernels::level_name(testing::supported_kernel_levels()[i]) << " against sse2");
      const auto& [log, values] = results[i];
      const auto& [log0, values0] = results[0];
      REQUIRE(values.size() == values0.size());
      CHECK(testing::same_bits(values.data(), values0.data(), values.size()));
      CHECK(
          testing::same_bits(log.train_loss.data(), log0.train_loss.data(), log.train_loss.size()));
      CHECK(testing::same_bits(log.validation_loss.data(), log0.validation_loss.data(),
                               log.validation_loss.size()));
    }
  }
}

TEMPLATE_TEST_CASE("predictions of a block of rows equal those of each row alone", "[ffnn]", float,
                   double) {
  using T = TestType;
  const Data data = separable<T>(50, 6);
  Rng rng(2);
  FfnnClassifier<T> model(FfnnShape{5, 32, 8, 0.2});
  model.reset_parameters(rng);
  const Folds folds = split_folds(50, 0.6, 0.2, rng);
  train_classifier(model, data.inputs, data.labels, folds, TrainingOptions{}, rng);
  const nn::Matrix<T> all = predict(model, data.inputs);
  REQUIRE(all.rows() == 50);
  for (Eigen::Index i = 0; i < 50; ++i) {
    const nn::Matrix<T> one = predict(model, nn::Matrix<T>(data.inputs.row(i)));
    CHECK(testing::same_bits(one.data(), all.row(i).data(), 1));
  }
}

TEST_CASE("a trailing batch of one row is skipped, never given to BatchNorm", "[ffnn]") {
  const Data data = separable(30, 3);
  Rng rng(1);
  FfnnClassifier<double> model(FfnnShape{5, 8, 4, 0.0});
  model.reset_parameters(rng);
  Folds folds;
  for (std::size_t i = 0; i < 17; ++i) folds.train.push_back(i);
  for (std::size_t i = 17; i < 30; ++i) folds.validation.push_back(i);
  TrainingOptions options;
  options.epochs = 3;
  options.batch_size = 16;
  train_classifier(model, data.inputs, data.labels, folds, options, rng);
  CHECK((*model.state()[6].value)(0, 0) == 3.0);  // one batch per epoch, not two

  folds.train.resize(10);
  CHECK_THROWS_WITH(train_classifier(model, data.inputs, data.labels, folds, options, rng),
                    "the training fold has 10 rows, fewer than one batch (batch_size = 16)");
}

}  // namespace
}  // namespace rxflow::ffnn

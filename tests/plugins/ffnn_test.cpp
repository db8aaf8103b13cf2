// The Section 6.1 classifier: training steps equal PyTorch's, weights move
// both ways in PyTorch's state_dict layout, and training is deterministic.
#include <catch2/catch.hpp>
#include <set>

#include "kernel_levels.h"
#include "nn/bce_loss.h"
#include "nn_pattern.h"
#include "reference/nn_golden.h"
#include "tensor_file.h"
#include "test_support.h"
#include "training.h"

namespace rxflow::ffnn {
namespace {

using testing::pattern;

template <std::size_t N>
void check_close(const nn::Matrix& actual, const double (&expected)[N], double tolerance = 1e-10) {
  REQUIRE(static_cast<std::size_t>(actual.size()) == N);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("element " << i);
    CHECK(actual.data()[i] == Approx(expected[i]).margin(tolerance).epsilon(tolerance));
  }
}

TEST_CASE("three Adam steps of the classifier equal PyTorch's", "[ffnn]") {
  FfnnClassifier model(FfnnShape{9, 16, 8, 0.0});
  testing::fill_pattern(model.state(), 2.0);
  nn::Adam adam(model.parameters(), nn::AdamOptions{});
  nn::Matrix y(6, 1);
  y << 1, 0, 1, 1, 0, 0;
  Rng unused(0);
  for (int step = 0; step < 3; ++step) {
    adam.zero_grad();
    const nn::Matrix& p = model.forward(pattern(6, 9, 3.0 + step), true, unused);
    CHECK(nn::bce_loss(p, y) == Approx(golden::kTrainLosses[step]).epsilon(1e-12));
    model.backward(nn::bce_loss_gradient(p, y));
    adam.step();
  }
  const auto state = model.state();
  const double* expected[] = {golden::kTrained_0_weight,
                              golden::kTrained_0_bias,
                              golden::kTrained_1_weight,
                              golden::kTrained_1_bias,
                              golden::kTrained_1_running_mean,
                              golden::kTrained_1_running_var,
                              golden::kTrained_1_num_batches_tracked,
                              golden::kTrained_4_weight,
                              golden::kTrained_4_bias,
                              golden::kTrained_6_weight,
                              golden::kTrained_6_bias};
  for (std::size_t t = 0; t < state.size(); ++t) {
    INFO("tensor " << state[t].name);
    // 0.bias feeds BatchNorm, which cancels any shift: its exact gradient is
    // zero, so both frameworks hand Adam rounding noise, and Adam turns noise
    // into steps of up to lr. Only that bound can be compared there.
    const double tolerance = state[t].name == "0.bias" ? 3 * 1e-3 : 1e-10;
    for (Eigen::Index i = 0; i < state[t].value->size(); ++i) {
      INFO("element " << i);
      CHECK(state[t].value->data()[i] == Approx(expected[t][i]).margin(tolerance).epsilon(1e-10));
    }
  }
  check_close(predict(model, pattern(4, 9, 4.0)), golden::kTrainedEvalOut);
}

TEST_CASE("a state_dict saved by PyTorch loads and predicts as in PyTorch, and round-trips",
          "[ffnn]") {
  FfnnClassifier model((FfnnShape()));
  nn::load_state_dict(model.state(),
                      read_tensor_file(RXFLOW_SOURCE_DIR "/tests/reference/classifier_state.h5"),
                      "classifier_state.h5");
  const nn::Matrix inputs = pattern(5, 39, 5.0);
  check_close(predict(model, inputs), golden::kInteropEvalOut, 1e-12);

  testing::TempDir dir;
  write_tensor_file(dir.file("weights.h5"), nn::state_dict_artifacts(model.state()));
  FfnnClassifier reloaded((FfnnShape()));
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

struct Data {
  nn::Matrix inputs, labels;
};

// Separable: the label is whether the first two columns sum above 1.
Data separable(int rows, std::uint64_t seed) {
  Rng rng(seed);
  Data data{nn::Matrix(rows, 5), nn::Matrix(rows, 1)};
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < 5; ++j) data.inputs(i, j) = rng.uniform();
    data.labels(i, 0) = data.inputs(i, 0) + data.inputs(i, 1) > 1.0 ? 1.0 : 0.0;
  }
  return data;
}

TEST_CASE("training is bit-for-bit repeatable and learns", "[ffnn]") {
  const Data data = separable(300, 9);
  auto train_once = [&](std::uint64_t seed) {
    Rng rng(seed);
    FfnnClassifier model(FfnnShape{5, 32, 8, 0.2});
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

TEST_CASE("training gives the same bits at every kernel level", "[ffnn]") {
  testing::KernelLevelGuard guard;
  // The case study's network on random data, and odd widths for the kernels'
  // remainder paths.
  for (const FfnnShape& shape : {FfnnShape{}, FfnnShape{7, 33, 5, 0.2}}) {
    Rng data_rng(4);
    nn::Matrix inputs(200, shape.inputs), labels(200, 1);
    for (Eigen::Index i = 0; i < inputs.size(); ++i) inputs.data()[i] = data_rng.uniform();
    for (Eigen::Index i = 0; i < labels.size(); ++i) labels.data()[i] = data_rng.bernoulli(0.5);
    std::vector<std::pair<TrainingLog, std::vector<double>>> results;
    for (nn::kernels::Level level : testing::supported_kernel_levels()) {
      nn::kernels::use_level(level);
      Rng rng(8);
      FfnnClassifier model(shape);
      model.reset_parameters(rng);
      const Folds folds = split_folds(200, 0.6, 0.2, rng);
      TrainingLog log = train_classifier(model, inputs, labels, folds, TrainingOptions{}, rng);
      std::vector<double> values;
      for (const nn::NamedTensor& tensor : model.state()) {
        values.insert(values.end(), tensor.value->data(),
                      tensor.value->data() + tensor.value->size());
      }
      const nn::Matrix p = predict(model, inputs);
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

TEST_CASE("predictions of a block of rows equal those of each row alone", "[ffnn]") {
  const Data data = separable(50, 6);
  Rng rng(2);
  FfnnClassifier model(FfnnShape{5, 32, 8, 0.2});
  model.reset_parameters(rng);
  const Folds folds = split_folds(50, 0.6, 0.2, rng);
  train_classifier(model, data.inputs, data.labels, folds, TrainingOptions{}, rng);
  const nn::Matrix all = predict(model, data.inputs);
  REQUIRE(all.rows() == 50);
  for (Eigen::Index i = 0; i < 50; ++i) {
    const nn::Matrix one = predict(model, data.inputs.row(i));
    CHECK(testing::same_bits(one.data(), all.row(i).data(), 1));
  }
}

TEST_CASE("a trailing batch of one row is skipped, never given to BatchNorm", "[ffnn]") {
  const Data data = separable(30, 3);
  Rng rng(1);
  FfnnClassifier model(FfnnShape{5, 8, 4, 0.0});
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

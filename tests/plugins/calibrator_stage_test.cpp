// The calibrator stages at their boundary: a validation fold they cannot
// fit is refused with the counts, never calibrated silently; cross-fitted
// and repeated inputs are checked and calibrated fold by fold and repeat by
// repeat.
#include <catch2/catch.hpp>

#include "fake_stage_context.h"
#include "loader/plugin_loader.h"
#include "support/install_paths.h"

namespace rxflow {
namespace {

TEST_CASE("a validation fold with one class or one row is refused by both calibrators",
          "[calibration]") {
  PluginLoader loader({builtin_plugin_dir()});
  for (const char* name : {"isotonic_calibrator", "platt_calibrator"}) {
    INFO(name);
    const LoadedPlugin& plugin = loader.load(name);
    auto context = [&](std::vector<std::int64_t> labels) {
      testing::FakeStageContext ctx(plugin.info, 1);
      ctx.inputs["validation_probabilities"] =
          Artifact::vector(std::vector<double>(labels.size(), 0.7));
      ctx.inputs["validation_labels"] = Artifact::vector(std::move(labels));
      ctx.inputs["test_probabilities"] = Artifact::vector(std::vector<double>{0.2, 0.9});
      ctx.inputs["p0"] = Artifact::vector(std::vector<double>{0.63});
      return ctx;
    };
    auto one_class = context(std::vector<std::int64_t>(40, 1));
    CHECK_THROWS_WITH(
        plugin.create()->run(one_class),
        Catch::Matchers::Contains("calibration needs a validation fold with both classes; it has 0 "
                                  "negative and 40 positive rows"));
    auto one_row = context({1});
    CHECK_THROWS_WITH(plugin.create()->run(one_row),
                      Catch::Matchers::Contains("it has 0 negative and 1 positive rows"));
    auto fine = context({0, 1, 1, 0});
    std::get<std::vector<double>>(fine.inputs["validation_probabilities"].values) = {0.1, 0.8, 0.7,
                                                                                     0.4};
    plugin.create()->run(fine);
    CHECK(fine.outputs.at("calibrated_p0").shape == std::vector<std::uint64_t>{1});
    auto out_of_range = context({0, 1});
    std::get<std::vector<double>>(out_of_range.inputs["test_probabilities"].values)[1] = 1.5;
    CHECK_THROWS_WITH(
        plugin.create()->run(out_of_range),
        "input \"test_probabilities\" must hold probabilities in [0, 1], found 1.500000 at [1]");
  }
}

// Two folds of four rows each; fold model 1 predicts 0.1 higher.
testing::FakeStageContext cross_fitted(const LoadedPlugin& plugin, std::vector<std::int64_t> fold) {
  testing::FakeStageContext ctx(plugin.info, 1);
  ctx.inputs["validation_probabilities"] =
      Artifact::vector(std::vector<double>{0.1, 0.8, 0.7, 0.4, 0.2, 0.9, 0.6, 0.3});
  ctx.inputs["validation_labels"] =
      Artifact::vector(std::vector<std::int64_t>{0, 1, 1, 0, 0, 1, 1, 0});
  ctx.inputs["validation_fold"] = Artifact::vector(std::move(fold));
  ctx.inputs["test_probabilities"] = Artifact::vector(std::vector<double>{0.25, 0.75});
  ctx.inputs["fold_test_probabilities"] = Artifact::matrix(2, 2, {0.2, 0.7, 0.3, 0.8});
  ctx.inputs["p0"] = Artifact::vector(std::vector<double>{0.63});
  ctx.inputs["fold_p0"] = Artifact::matrix(2, 1, {0.6, 0.7});
  return ctx;
}

TEST_CASE("cross-fitted inputs are checked and each fold calibrates its own model",
          "[calibration]") {
  PluginLoader loader({builtin_plugin_dir()});
  for (const char* name : {"isotonic_calibrator", "platt_calibrator"}) {
    INFO(name);
    const LoadedPlugin& plugin = loader.load(name);
    auto ensemble = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 1});
    plugin.create()->run(ensemble);
    auto pooled = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 1});
    pooled.params["ensemble"] = false;
    plugin.create()->run(pooled);
    const auto p = [](const testing::FakeStageContext& ctx) {
      return std::get<std::vector<double>>(ctx.outputs.at("calibrated_p0").values).at(0);
    };
    // Each fold's rows are perfectly separated at 0.5 / 0.55, so each map is
    // a step and the pooled map one step between them: the folds' models
    // are calibrated by different maps than the pooled one.
    CHECK(p(ensemble) != p(pooled));
    CHECK(ensemble.outputs.at("calibrated_repeat_p0").shape == std::vector<std::uint64_t>{0, 1});

    auto one_class_fold = cross_fitted(plugin, {0, 1, 1, 0, 0, 1, 0, 0});
    CHECK_THROWS_WITH(plugin.create()->run(one_class_fold),
                      Catch::Matchers::Contains("needs cross-fitting fold 1 with both classes; it "
                                                "has 0 negative and 3 positive rows"));
    auto out_of_range = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 2});
    CHECK_THROWS_WITH(plugin.create()->run(out_of_range),
                      "the validation rows: fold 2 at [7] is outside [0, 2)");
    auto partly_bound = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 1});
    partly_bound.inputs.erase("fold_p0");
    CHECK_THROWS_WITH(
        plugin.create()->run(partly_bound),
        Catch::Matchers::StartsWith("inputs validation_fold, fold_test_probabilities, "
                                    "fold_p0 go together"));
    auto wrong_shape = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 1});
    wrong_shape.inputs["fold_p0"] = Artifact::matrix(1, 2, {0.6, 0.7});
    CHECK_THROWS_WITH(plugin.create()->run(wrong_shape),
                      "input \"fold_p0\" is [1, 2], expected [2, 1]");
  }
}

TEST_CASE("each repeat is calibrated by maps fitted on its own held-out rows", "[calibration]") {
  PluginLoader loader({builtin_plugin_dir()});
  const LoadedPlugin& plugin = loader.load("isotonic_calibrator");
  auto ctx = cross_fitted(plugin, {0, 0, 0, 0, 1, 1, 1, 1});
  // Repeat 0 is the run's own fit; repeat 1's labels are reversed, so its
  // maps decrease... isotonic cannot, and gives the mean label everywhere.
  const auto& probabilities =
      std::get<std::vector<double>>(ctx.inputs["validation_probabilities"].values);
  std::vector<double> repeat_probabilities = probabilities;
  repeat_probabilities.insert(repeat_probabilities.end(), probabilities.begin(),
                              probabilities.end());
  ctx.inputs["repeat_validation_probabilities"] = Artifact::matrix(2, 8, repeat_probabilities);
  Artifact labels;
  labels.shape = {2, 8};
  labels.values = std::vector<std::int64_t>{0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1};
  ctx.inputs["repeat_validation_labels"] = labels;
  Artifact fold;
  fold.shape = {2, 8};
  fold.values = std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1};
  ctx.inputs["repeat_validation_fold"] = fold;
  ctx.inputs["repeat_fold_p0"] = Artifact::matrix(4, 1, {0.6, 0.7, 0.6, 0.7});
  ctx.inputs["repeat_p0"] = Artifact::matrix(2, 1, {0.63, 0.63});
  plugin.create()->run(ctx);
  const Artifact& out = ctx.outputs.at("calibrated_repeat_p0");
  REQUIRE(out.shape == std::vector<std::uint64_t>{2, 1});
  const auto& values = std::get<std::vector<double>>(out.values);
  CHECK(values[0] == std::get<std::vector<double>>(ctx.outputs.at("calibrated_p0").values)[0]);
  CHECK(values[1] == 0.5);
}

}  // namespace
}  // namespace rxflow

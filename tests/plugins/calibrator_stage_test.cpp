// The calibrator stages at their boundary: a validation fold they cannot
// fit is refused with the counts, never calibrated silently.
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

}  // namespace
}  // namespace rxflow

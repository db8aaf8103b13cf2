// The binary_evaluator stage at its boundary: its parameters reach the
// metrics (drop_intermediate of the ROC curves).
#include <catch2/catch.hpp>

#include "fake_stage_context.h"
#include "loader/plugin_loader.h"
#include "metrics.h"
#include "support/install_paths.h"

namespace rxflow {
namespace {

TEST_CASE("drop_intermediate = false keeps every threshold of the ROC curves", "[metrics]") {
  PluginLoader loader({builtin_plugin_dir()});
  const LoadedPlugin& plugin = loader.load("binary_evaluator");
  const std::vector<std::int64_t> labels{0, 0, 1, 1, 0, 1, 1, 0, 1, 1};
  const std::vector<double> p{0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9};
  auto rows_of_roc = [&](bool drop_intermediate) {
    testing::FakeStageContext ctx(plugin.info, 1);
    ctx.inputs["test_labels"] = Artifact::vector(labels);
    ctx.inputs["test_probabilities"] = Artifact::vector(p);
    ctx.inputs["calibrated_test_probabilities"] = Artifact::vector(p);
    ctx.inputs["p0"] = Artifact::vector(std::vector<double>{0.6});
    ctx.inputs["calibrated_p0"] = Artifact::vector(std::vector<double>{0.6});
    ctx.params["drop_intermediate"] = drop_intermediate;
    plugin.create()->run(ctx);
    return ctx.outputs.at("roc_raw").shape.at(0);
  };
  // Ten distinct scores: eleven points kept; the default drops the points
  // inside straight runs.
  CHECK(rows_of_roc(false) == 11);
  CHECK(rows_of_roc(false) == metrics::roc_curve(labels, p, false).fpr.size());
  CHECK(rows_of_roc(true) == metrics::roc_curve(labels, p, true).fpr.size());
  CHECK(rows_of_roc(true) < 11);
}

}  // namespace
}  // namespace rxflow

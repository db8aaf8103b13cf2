// The binary_evaluator plugin (seed paper, Section 8): metrics of the test
// fold before and after calibration, ROC and reliability curves, and each
// request's 30-day success curve (Section 8.3) from p0 and p'.
#include <cmath>
#include <limits>

#include "input_checks.h"
#include "metrics.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::metrics {
namespace {

Artifact roc_table(const RocCurve& curve) {
  std::vector<double> values;
  for (std::size_t i = 0; i < curve.fpr.size(); ++i) {
    values.insert(values.end(), {curve.fpr[i], curve.tpr[i], curve.thresholds[i]});
  }
  return Artifact::matrix(curve.fpr.size(), 3, std::move(values), {"fpr", "tpr", "threshold"});
}

Artifact reliability_table(const ReliabilityCurve& curve) {
  std::vector<double> values;
  for (std::size_t i = 0; i < curve.count.size(); ++i) {
    values.insert(values.end(), {curve.mean_predicted[i], curve.fraction_positive[i],
                                 static_cast<double>(curve.count[i])});
  }
  return Artifact::matrix(curve.count.size(), 3, std::move(values),
                          {"mean_predicted", "fraction_positive", "count"});
}

Artifact confusion_table(const std::array<std::int64_t, 4>& counts) {
  return Artifact{{2, 2},
                  std::vector<std::int64_t>(counts.begin(), counts.end()),
                  {"predicted_0", "predicted_1"}};
}

Artifact curves(const std::vector<double>& p0, double k, int days) {
  std::vector<double> values;
  for (double p : p0) {
    const std::vector<double> curve = success_curve(p, k, days);
    values.insert(values.end(), curve.begin(), curve.end());
  }
  return Artifact::matrix(p0.size(), static_cast<std::uint64_t>(days) + 1, std::move(values));
}

class BinaryEvaluatorStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    std::vector<PortSpec> outputs{
        {"metrics", DType::kFloat64, 2,
         "rows raw, calibrated; columns accuracy, precision, recall, f1, roc_auc, brier", false},
        {"confusion_raw", DType::kInt64, 2, "[[TN, FP], [FN, TP]] before calibration", false},
        {"confusion_calibrated", DType::kInt64, 2, "[[TN, FP], [FN, TP]] after calibration", false},
        {"success_days", DType::kFloat64, 1, "t = 0, 1, ..., days", false},
        {"success_raw", DType::kFloat64, 2, "p(t) from p0, one row per request", false},
        {"success_calibrated", DType::kFloat64, 2, "p(t) from p', one row per request", false},
        {"summary", DType::kFloat64, 2,
         "headline: the first request's p0 and p', test-fold AUC and Brier raw and calibrated",
         false, true}};
    for (const char* curve : {"roc", "reliability_uniform", "reliability_quantile"}) {
      for (const char* which : {"raw", "calibrated"}) {
        outputs.push_back({std::string(curve) + "_" + which, DType::kFloat64, 2,
                           std::string(curve) + " curve, " + which + " probabilities", false});
      }
    }
    return {
        "binary_evaluator",
        kinds::evaluator(),
        "0.2.0",
        "test-fold metrics before and after calibration, ROC, reliability, 30-day curves (Section "
        "8)",
        {{"test_labels", DType::kInt64, 1, "labels of the test fold", false},
         {"test_probabilities", DType::kFloat64, 1, "raw probabilities, test fold", false},
         {"calibrated_test_probabilities", DType::kFloat64, 1,
          "calibrated probabilities, test fold", false},
         {"p0", DType::kFloat64, 1, "raw probability of each request", false},
         {"calibrated_p0", DType::kFloat64, 1, "calibrated probability of each request", false}},
        outputs,
        {ParamSpec::real("k", 0.08, 0.0, 10.0, "rise rate of the 30-day success curve p(t)"),
         ParamSpec::integer("days", 30, 1, 3650, "the curve's horizon in days"),
         ParamSpec::integer("bins", 10, 2, 1000, "bins of the reliability curves"),
         ParamSpec::boolean("drop_intermediate", true,
                            "drop ROC points that cannot be corners (roc_curve's "
                            "drop_intermediate); false keeps every threshold")}};
  }

  void run(StageContext& ctx) override {
    const auto& labels = checks::binary_labels(ctx, "test_labels");
    const auto& raw = checks::probabilities(ctx, "test_probabilities");
    const auto& calibrated = checks::probabilities(ctx, "calibrated_test_probabilities");
    if (labels.empty() || raw.size() != labels.size() || calibrated.size() != labels.size()) {
      throw std::runtime_error(
          "the test fold needs rows, and as many probabilities as labels: labels " +
          std::to_string(labels.size()) + ", raw " + std::to_string(raw.size()) + ", calibrated " +
          std::to_string(calibrated.size()));
    }
    const auto& p0 = checks::probabilities(ctx, "p0");
    const auto& calibrated_p0 = checks::probabilities(ctx, "calibrated_p0");
    const int bins = static_cast<int>(ctx.param_int("bins"));
    std::vector<double> table;
    for (const auto* p : {&raw, &calibrated}) {
      const Scores s = score(labels, *p);
      table.insert(table.end(), {s.accuracy, s.precision, s.recall, s.f1, s.roc_auc, s.brier});
    }
    if (std::isnan(table[4])) ctx.log("ROC AUC undefined: the test fold holds one class only");
    ctx.log("test fold: AUC " + std::to_string(table[4]) + ", Brier " + std::to_string(table[5]) +
            " raw; Brier " + std::to_string(table[11]) + " calibrated");
    const double first_p0 = p0.empty() ? NAN : p0.front();
    const double first_calibrated = calibrated_p0.empty() ? NAN : calibrated_p0.front();
    ctx.emit(
        "summary",
        Artifact::matrix(
            1, 6, {first_p0, first_calibrated, table[4], table[5], table[10], table[11]},
            {"p0", "calibrated_p0", "roc_auc", "brier", "calibrated_roc_auc", "calibrated_brier"}));
    ctx.emit("metrics",
             Artifact::matrix(2, 6, std::move(table),
                              {"accuracy", "precision", "recall", "f1", "roc_auc", "brier"}));
    ctx.emit("confusion_raw", confusion_table(confusion_matrix(labels, raw)));
    ctx.emit("confusion_calibrated", confusion_table(confusion_matrix(labels, calibrated)));
    const bool drop_intermediate = ctx.param_bool("drop_intermediate");
    ctx.emit("roc_raw", roc_table(roc_curve(labels, raw, drop_intermediate)));
    ctx.emit("roc_calibrated", roc_table(roc_curve(labels, calibrated, drop_intermediate)));
    ctx.emit("reliability_uniform_raw",
             reliability_table(reliability_curve(labels, raw, bins, Binning::kUniform)));
    ctx.emit("reliability_uniform_calibrated",
             reliability_table(reliability_curve(labels, calibrated, bins, Binning::kUniform)));
    ctx.emit("reliability_quantile_raw",
             reliability_table(reliability_curve(labels, raw, bins, Binning::kQuantile)));
    ctx.emit("reliability_quantile_calibrated",
             reliability_table(reliability_curve(labels, calibrated, bins, Binning::kQuantile)));
    const int days = static_cast<int>(ctx.param_int("days"));
    std::vector<double> day_values;
    for (int t = 0; t <= days; ++t) day_values.push_back(t);
    ctx.emit("success_days", Artifact::vector(std::move(day_values)));
    ctx.emit("success_raw", curves(p0, ctx.param_float("k"), days));
    ctx.emit("success_calibrated", curves(calibrated_p0, ctx.param_float("k"), days));
  }
};

}  // namespace
}  // namespace rxflow::metrics

RXFLOW_PLUGIN(rxflow::metrics::BinaryEvaluatorStage)

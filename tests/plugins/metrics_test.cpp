// The evaluator's metrics against scikit-learn 1.2
// (tests/reference/metrics_reference.py), ties and degenerate folds included.
#include "metrics.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "reference/metrics_golden.h"

namespace rxflow::metrics {
namespace {

std::vector<double> probabilities() {
  return {std::begin(golden::kScores), std::end(golden::kScores)};
}
std::vector<std::int64_t> labels() {
  return {std::begin(golden::kLabels), std::end(golden::kLabels)};
}

template <std::size_t N>
void check_equal(const std::vector<double>& actual, const double (&expected)[N],
                 double tolerance = 1e-15) {
  REQUIRE(actual.size() == N);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("index " << i);
    CHECK(actual[i] == Approx(expected[i]).margin(tolerance));
  }
}

TEST_CASE("scores and the confusion matrix equal scikit-learn's", "[metrics]") {
  const Scores s = score(labels(), probabilities());
  CHECK(s.accuracy == golden::kAccuracy);
  CHECK(s.precision == golden::kPrecision);
  CHECK(s.recall == golden::kRecall);
  CHECK(s.f1 == Approx(golden::kF1).epsilon(1e-15));
  CHECK(s.roc_auc == Approx(golden::kAuc).epsilon(1e-14));
  CHECK(s.brier == Approx(golden::kBrier).epsilon(1e-14));
  const auto confusion = confusion_matrix(labels(), probabilities());
  for (std::size_t i = 0; i < 4; ++i) CHECK(confusion[i] == golden::kConfusion[i]);
}

TEST_CASE("the ROC curve equals scikit-learn's, intermediate points dropped", "[metrics]") {
  const RocCurve curve = roc_curve(labels(), probabilities());
  check_equal(curve.fpr, golden::kRocFpr);
  check_equal(curve.tpr, golden::kRocTpr);
  check_equal(curve.thresholds, golden::kRocThresholds);
}

TEST_CASE("the ROC curve with every threshold kept equals roc_curve(drop_intermediate=False)",
          "[metrics]") {
  const RocCurve curve = roc_curve(labels(), probabilities(), /*drop_intermediate=*/false);
  check_equal(curve.fpr, golden::kRocAllFpr, 1e-12);
  check_equal(curve.tpr, golden::kRocAllTpr, 1e-12);
  check_equal(curve.thresholds, golden::kRocAllThresholds, 1e-12);
  CHECK(trapezoid_auc(curve) == Approx(golden::kAuc).epsilon(1e-14));
}

TEST_CASE("tied scores count one half, one class leaves AUC undefined", "[metrics]") {
  const std::vector<double> tied(labels().size(), 0.3);
  CHECK(score(labels(), tied).roc_auc == golden::kAucAllTied);
  CHECK(score(labels(), tied).roc_auc == 0.5);
  const std::vector<std::int64_t> one_class(10, 1);
  const std::vector<double> all = probabilities();
  const std::vector<double> p(all.begin(), all.begin() + 10);
  CHECK(std::isnan(score(one_class, p).roc_auc));
  CHECK(roc_curve(one_class, p).fpr.empty());
}

TEST_CASE("nothing predicted positive: precision and F1 are 0 (zero_division)", "[metrics]") {
  const Scores s = score(labels(), std::vector<double>(labels().size(), 0.2));
  CHECK(s.precision == golden::kPrecisionNonePredicted);
  CHECK(s.f1 == golden::kF1NonePredicted);
  CHECK(s.recall == 0.0);
}

TEST_CASE("reliability curves equal calibration_curve, uniform and quantile, empty bins dropped",
          "[metrics]") {
  const ReliabilityCurve uniform =
      reliability_curve(labels(), probabilities(), 10, Binning::kUniform);
  check_equal(uniform.fraction_positive, golden::kReliabilityUniformTrue);
  check_equal(uniform.mean_predicted, golden::kReliabilityUniformPred);
  const ReliabilityCurve quantile =
      reliability_curve(labels(), probabilities(), 10, Binning::kQuantile);
  check_equal(quantile.fraction_positive, golden::kReliabilityQuantileTrue);
  check_equal(quantile.mean_predicted, golden::kReliabilityQuantilePred);
  CHECK(percentile(probabilities(), 37.0) == golden::kPercentile37);
}

TEST_CASE("calibration_curve's bin edges are numpy's to the last bit", "[metrics]") {
  for (const golden::ReliabilityEdgeCase& c : golden::kReliabilityEdgeCases) {
    INFO(c.bins << (c.quantile ? " quantile" : " uniform") << " bins");
    CHECK(reliability_edges(c.probabilities, c.bins,
                            c.quantile ? Binning::kQuantile : Binning::kUniform) == c.edges);
  }
}

TEST_CASE("reliability curves equal calibration_curve bin for bin when rows sit on numpy's edges",
          "[metrics]") {
  for (const golden::ReliabilityEdgeCase& c : golden::kReliabilityEdgeCases) {
    INFO(c.bins << (c.quantile ? " quantile" : " uniform") << " bins");
    const ReliabilityCurve curve = reliability_curve(
        c.labels, c.probabilities, c.bins, c.quantile ? Binning::kQuantile : Binning::kUniform);
    CHECK(curve.count == c.count);
    REQUIRE(curve.fraction_positive.size() == c.fraction_positive.size());
    REQUIRE(curve.mean_predicted.size() == c.mean_predicted.size());
    for (std::size_t b = 0; b < curve.count.size(); ++b) {
      INFO("bin " << b);
      CHECK(curve.fraction_positive[b] == Approx(c.fraction_positive[b]).margin(1e-12));
      CHECK(curve.mean_predicted[b] == Approx(c.mean_predicted[b]).margin(1e-12));
    }
  }
}

TEST_CASE("the 30-day curve starts at p0, rises monotonically, and follows eq. 3", "[metrics]") {
  const std::vector<double> curve = success_curve(0.63, 0.08, 30);
  REQUIRE(curve.size() == 31);
  CHECK(curve[0] == 0.63);
  CHECK(std::is_sorted(curve.begin(), curve.end()));
  CHECK(curve[30] == Approx(0.63 + 0.37 * (1.0 - std::exp(-2.4))).epsilon(1e-15));
  CHECK(success_curve(1.0, 0.08, 30).back() == 1.0);
}

}  // namespace
}  // namespace rxflow::metrics

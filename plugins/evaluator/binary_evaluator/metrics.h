// Binary classification metrics with scikit-learn 1.2 semantics, for the
// test fold before and after calibration (seed paper, Section 8):
// - a row is predicted positive when its probability is > 0.5 (what
//   predict() does with predict_proba: argmax, ties to class 0);
// - precision, recall and F1 are 0 when their denominator is 0
//   (zero_division's default value);
// - the confusion matrix is [[TN, FP], [FN, TP]] (rows: true class);
// - roc_curve, intermediate points dropped or kept (drop_intermediate),
//   thresholds starting at max + 1; AUC by the trapezoid rule (tied scores
//   count one half); undefined (NaN) when the fold holds one class only;
// - calibration_curve: uniform or quantile bins whose edges are numpy's to
//   the last bit (linspace, percentile of method "linear"), a probability
//   goes to the first bin whose upper edge it does not exceed, empty bins
//   dropped.
// Plain functions of their arguments: safe to call from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace rxflow::metrics {

struct Scores {
  double accuracy = 0, precision = 0, recall = 0, f1 = 0, roc_auc = 0, brier = 0;
};

struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};

struct ReliabilityCurve {
  std::vector<double> mean_predicted;  // per non-empty bin
  std::vector<double> fraction_positive;
  std::vector<std::int64_t> count;
};

enum class Binning { kUniform, kQuantile };

// [[TN, FP], [FN, TP]].
std::array<std::int64_t, 4> confusion_matrix(const std::vector<std::int64_t>& labels,
                                             const std::vector<double>& probabilities);
// REQUIRES: labels and probabilities of equal, non-zero size.
Scores score(const std::vector<std::int64_t>& labels, const std::vector<double>& probabilities);
// Empty when labels hold one class only. drop_intermediate: leave out each
// point whose false and true positive counts step by the same amounts into
// it and out of it (scikit-learn's test for a point on a straight segment).
RocCurve roc_curve(const std::vector<std::int64_t>& labels,
                   const std::vector<double>& probabilities, bool drop_intermediate = true);
double trapezoid_auc(const RocCurve& curve);
// calibration_curve's bin edges, bins + 1 of them: numpy.linspace(0, 1,
// bins + 1) when uniform, numpy.percentile(probabilities, 100 * that) when
// quantile. REQUIRES: bins >= 1; probabilities non-empty.
std::vector<double> reliability_edges(const std::vector<double>& probabilities, int bins,
                                      Binning binning);
ReliabilityCurve reliability_curve(const std::vector<std::int64_t>& labels,
                                   const std::vector<double>& probabilities, int bins,
                                   Binning binning);
// numpy.percentile(values, q), method "linear", to the last bit.
// REQUIRES: values non-empty.
double percentile(std::vector<double> values, double q);
// p(t) = p0 + (1 - p0)(1 - exp(-k t)) for t = 0, 1, ..., days (Section 8.3).
std::vector<double> success_curve(double p0, double k, int days);

}  // namespace rxflow::metrics

#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace rxflow::metrics {

std::array<std::int64_t, 4> confusion_matrix(const std::vector<std::int64_t>& labels,
                                             const std::vector<double>& probabilities) {
  std::array<std::int64_t, 4> counts{0, 0, 0, 0};
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const int predicted = probabilities[i] > 0.5 ? 1 : 0;
    ++counts[static_cast<std::size_t>(2 * (labels[i] == 1 ? 1 : 0) + predicted)];
  }
  return counts;
}

Scores score(const std::vector<std::int64_t>& labels, const std::vector<double>& probabilities) {
  const auto [tn, fp, fn, tp] = confusion_matrix(labels, probabilities);
  const auto ratio = [](double num, double den) { return den == 0.0 ? 0.0 : num / den; };
  Scores s;
  s.accuracy = static_cast<double>(tp + tn) / static_cast<double>(labels.size());
  s.precision = ratio(static_cast<double>(tp), static_cast<double>(tp + fp));
  s.recall = ratio(static_cast<double>(tp), static_cast<double>(tp + fn));
  s.f1 =
      s.precision + s.recall == 0.0 ? 0.0 : 2.0 * s.precision * s.recall / (s.precision + s.recall);
  const RocCurve curve = roc_curve(labels, probabilities);
  s.roc_auc = curve.fpr.empty() ? std::numeric_limits<double>::quiet_NaN() : trapezoid_auc(curve);
  double squared = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double error = static_cast<double>(labels[i]) - probabilities[i];
    squared += error * error;
  }
  s.brier = squared / static_cast<double>(labels.size());
  return s;
}

RocCurve roc_curve(const std::vector<std::int64_t>& labels,
                   const std::vector<double>& probabilities, bool drop_intermediate) {
  const std::size_t n = labels.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return probabilities[a] > probabilities[b];
  });
  // One point per distinct score: cumulative true and false positives.
  std::vector<double> tps, fps, thresholds;
  double tp = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    tp += labels[order[r]] == 1 ? 1.0 : 0.0;
    if (r + 1 == n || probabilities[order[r + 1]] != probabilities[order[r]]) {
      tps.push_back(tp);
      fps.push_back(static_cast<double>(r + 1) - tp);
      thresholds.push_back(probabilities[order[r]]);
    }
  }
  RocCurve curve;
  if (tps.empty() || tps.back() == 0.0 || fps.back() == 0.0) return curve;
  // drop_intermediate: keep the ends and every point where the curve bends.
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < tps.size(); ++i) {
    const bool end = i == 0 || i + 1 == tps.size();
    if (end || !drop_intermediate || tps.size() <= 2 ||
        fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0.0 ||
        tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0.0) {
      keep.push_back(i);
    }
  }
  curve.fpr.push_back(0.0);
  curve.tpr.push_back(0.0);
  curve.thresholds.push_back(thresholds[keep.front()] + 1.0);
  for (std::size_t i : keep) {
    curve.fpr.push_back(fps[i] / fps.back());
    curve.tpr.push_back(tps[i] / tps.back());
    curve.thresholds.push_back(thresholds[i]);
  }
  return curve;
}

double trapezoid_auc(const RocCurve& curve) {
  double area = 0.0;
  for (std::size_t i = 1; i < curve.fpr.size(); ++i) {
    area += (curve.fpr[i] - curve.fpr[i - 1]) * (curve.tpr[i] + curve.tpr[i - 1]) / 2.0;
  }
  return area;
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double index = q / 100.0 * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(index));
  const std::size_t upper = std::min(lower + 1, values.size() - 1);
  const double t = index - static_cast<double>(lower);
  const double a = values[lower], b = values[upper];
  // numpy's _lerp: from the nearer end, so t = 0 and t = 1 give a and b exactly.
  return t >= 0.5 ? b - (b - a) * (1.0 - t) : a + (b - a) * t;
}

std::vector<double> reliability_edges(const std::vector<double>& probabilities, int bins,
                                      Binning binning) {
  // numpy.linspace(0, 1, bins + 1): i * (1 / bins), the last set to 1. Not
  // i / bins, which differs in the last bit (3 * 0.1 != 3 / 10.0) and would
  // move a probability that sits on an edge into the neighbouring bin.
  const double step = 1.0 / bins;
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const double q = i + 1 == edges.size() ? 1.0 : static_cast<double>(i) * step;
    edges[i] = binning == Binning::kUniform ? q : percentile(probabilities, q * 100.0);
  }
  return edges;
}

ReliabilityCurve reliability_curve(const std::vector<std::int64_t>& labels,
                                   const std::vector<double>& probabilities, int bins,
                                   Binning binning) {
  const std::vector<double> edges = reliability_edges(probabilities, bins, binning);
  std::vector<double> sum_p(edges.size(), 0.0), sum_y(edges.size(), 0.0);
  std::vector<std::int64_t> count(edges.size(), 0);
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    // numpy.searchsorted(edges[1:-1], p, side="left")
    const auto bin = static_cast<std::size_t>(
        std::lower_bound(edges.begin() + 1, edges.end() - 1, probabilities[i]) -
        (edges.begin() + 1));
    sum_p[bin] += probabilities[i];
    sum_y[bin] += static_cast<double>(labels[i]);
    ++count[bin];
  }
  ReliabilityCurve curve;
  for (std::size_t b = 0; b < edges.size(); ++b) {
    if (count[b] == 0) continue;
    curve.mean_predicted.push_back(sum_p[b] / static_cast<double>(count[b]));
    curve.fraction_positive.push_back(sum_y[b] / static_cast<double>(count[b]));
    curve.count.push_back(count[b]);
  }
  return curve;
}

std::vector<double> success_curve(double p0, double k, int days) {
  std::vector<double> curve;
  for (int t = 0; t <= days; ++t) curve.push_back(p0 + (1.0 - p0) * (1.0 - std::exp(-k * t)));
  return curve;
}

}  // namespace rxflow::metrics

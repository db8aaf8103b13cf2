#include "sweep/sweep_summary.h"

#include <cmath>
#include <map>

#include "support/student_t.h"

namespace rxflow {
namespace {

MetricSummary summarize(const std::vector<double>& values) {
  MetricSummary summary;
  summary.n = values.size();
  if (values.empty()) {
    summary.mean = summary.sd = summary.low = summary.high = NAN;
    return summary;
  }
  double sum = 0;
  for (double value : values) sum += value;
  summary.mean = sum / static_cast<double>(values.size());
  if (values.size() < 2) {
    summary.sd = summary.low = summary.high = NAN;
    return summary;
  }
  double squares = 0;
  for (double value : values) squares += (value - summary.mean) * (value - summary.mean);
  const double n = static_cast<double>(values.size());
  summary.sd = std::sqrt(squares / (n - 1));
  const double half = student_t_quantile(0.975, n - 1) * summary.sd / std::sqrt(n);
  summary.low = summary.mean - half;
  summary.high = summary.mean + half;
  return summary;
}

}  // namespace

std::vector<CombinationSummary> summarize_sweep(const SweepIndex& index) {
  std::vector<CombinationSummary> combinations;
  std::vector<std::vector<std::vector<double>>> values;  // combination, metric, repeat
  std::map<std::string, std::size_t> position;
  for (const SweepRow& row : index.rows) {
    const auto [found, added] = position.emplace(row.key, combinations.size());
    if (added) {
      combinations.push_back({row.key, row.values, 0, 0, 0, {}});
      values.emplace_back(index.metric_names.size());
    }
    CombinationSummary& combination = combinations[found->second];
    ++combination.points;
    combination.complete += row.status == "complete";
    combination.failed += row.status == "failed";
    for (std::size_t m = 0; m < index.metric_names.size() && m < row.metrics.size(); ++m) {
      if (!std::isnan(row.metrics[m])) values[found->second][m].push_back(row.metrics[m]);
    }
  }
  for (std::size_t c = 0; c < combinations.size(); ++c) {
    for (const std::vector<double>& metric : values[c]) {
      combinations[c].metrics.push_back(summarize(metric));
    }
  }
  return combinations;
}

}  // namespace rxflow

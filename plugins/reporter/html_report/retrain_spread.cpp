#include "retrain_spread.h"

#include <algorithm>

#include "metrics.h"

namespace rxflow::report {

RetrainSpread retrain_spread(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return {values.size(), sum / static_cast<double>(values.size()), metrics::percentile(values, 2.5),
          metrics::percentile(values, 97.5)};
}

std::vector<double> table_column(const std::vector<double>& table, std::size_t cols,
                                 std::size_t column) {
  std::vector<double> out;
  for (std::size_t r = 0; r * cols + column < table.size(); ++r)
    out.push_back(table[r * cols + column]);
  return out;
}

std::vector<double> histogram_counts(const std::vector<double>& values, std::size_t bins) {
  std::vector<double> counts(bins, 0.0);
  for (double v : values) {
    const auto bin = static_cast<std::size_t>(std::clamp(v, 0.0, 1.0) * static_cast<double>(bins));
    counts[std::min(bin, bins - 1)] += 1.0;
  }
  return counts;
}

}  // namespace rxflow::report

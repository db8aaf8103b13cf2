// A sweep's points grouped by their values (one group per combination, its
// repeats together): per headline metric, the mean over the repeats that
// have it and a 95% confidence interval for that mean,
//   mean +- t(0.975, n - 1) * sd / sqrt(n),   sd with n - 1 (Bessel),
// the interval absent (NaN) below two values. What `rxflow show sweep.h5`
// prints and the sweep report plots.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "store/sweep_index.h"

namespace rxflow {

struct MetricSummary {
  std::size_t n = 0;  // repeats with a value
  double mean = 0, sd = 0, low = 0, high = 0;
};

struct CombinationSummary {
  std::string key;                  // as in the index ("" for a sweep without axes)
  std::vector<std::string> values;  // one per axis
  std::size_t points = 0, complete = 0, failed = 0;
  std::vector<MetricSummary> metrics;  // one per index.metric_names
};

// In the order the combinations first appear in the index.
std::vector<CombinationSummary> summarize_sweep(const SweepIndex& index);

}  // namespace rxflow

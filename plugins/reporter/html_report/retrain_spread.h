// The spread of a request's probability over the classifier's repeats
// (retrains from derived seeds, seed paper 9.1): the mean and the interval
// holding the middle 95% of the repeats (numpy.percentile 2.5 and 97.5,
// linear), and a histogram of the values. Pure functions.
#pragma once

#include <cstddef>
#include <vector>

namespace rxflow::report {

struct RetrainSpread {
  std::size_t repeats = 0;
  double mean = 0, low = 0, high = 0;
};

// REQUIRES: values non-empty.
RetrainSpread retrain_spread(const std::vector<double>& values);

// Column `column` of a (rows, cols) row-major table.
std::vector<double> table_column(const std::vector<double>& table, std::size_t cols,
                                 std::size_t column);

// Counts of `values` in `bins` equal bins of [0, 1] (a value on an inner
// edge counts in the upper bin, 1 in the last).
std::vector<double> histogram_counts(const std::vector<double>& values, std::size_t bins);

}  // namespace rxflow::report

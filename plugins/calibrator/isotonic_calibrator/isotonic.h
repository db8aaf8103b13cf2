// Isotonic calibration with scikit-learn 1.2 semantics
// (IsotonicRegression(increasing=True, out_of_bounds="clip")): scores are
// sorted, tied scores merged into one point (mean label, summed weight),
// the pool-adjacent-violators algorithm fits a non-decreasing step, points
// equal to both neighbours are dropped, and predictions interpolate
// linearly between the thresholds, clipped to the fitted range.
#pragma once

#include <cstdint>
#include <vector>

namespace rxflow::isotonic {

struct IsotonicMap {
  std::vector<double> x;  // thresholds, strictly increasing
  std::vector<double> y;  // fitted values, non-decreasing
};

// REQUIRES: scores.size() == labels.size() >= 1.
IsotonicMap fit_isotonic(const std::vector<double>& scores, const std::vector<double>& labels);
double apply_isotonic(const IsotonicMap& map, double score);

// scikit-learn's _inplace_contiguous_isotonic_regression: y becomes the
// weighted non-decreasing fit; w is overwritten.
void pool_adjacent_violators(std::vector<double>& y, std::vector<double>& w);

}  // namespace rxflow::isotonic

// Isotonic calibration with scikit-learn 1.2 semantics
// (IsotonicRegression(increasing=True, out_of_bounds="clip").fit(X, y,
// sample_weight)): rows of weight 0 are dropped, scores are sorted, tied
// scores merged into one point (weighted mean label, summed weight), the
// pool-adjacent-violators algorithm fits a non-decreasing step, points equal
// to both neighbours are dropped, and predictions interpolate linearly
// between the thresholds, clipped to the fitted range. Plain functions of
// their arguments: safe to call from any thread.
#pragma once

#include <cstdint>
#include <vector>

namespace rxflow::isotonic {

struct IsotonicMap {
  std::vector<double> x;  // thresholds, strictly increasing
  std::vector<double> y;  // fitted values, non-decreasing
};

// Scores closer than 1e-15 (float64's resolution) to the first score of a
// run count as tied, as in scikit-learn's _make_unique; the merged point
// keeps that first score.
// weights: empty means every weight is 1.
// REQUIRES: scores.size() == labels.size() >= 1; weights empty or of the
// same size, each >= 0 and at least one > 0.
IsotonicMap fit_isotonic(const std::vector<double>& scores, const std::vector<double>& labels,
                         const std::vector<double>& weights = {});
double apply_isotonic(const IsotonicMap& map, double score);

// scikit-learn's _inplace_contiguous_isotonic_regression: y becomes the
// weighted non-decreasing fit; w is overwritten.
void pool_adjacent_violators(std::vector<double>& y, std::vector<double>& w);

}  // namespace rxflow::isotonic

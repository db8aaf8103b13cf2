// Platt scaling with scikit-learn 1.2 semantics (_sigmoid_calibration with
// sample_weight): targets smoothed to (N+ + 1) / (N+ + 2) for positives and
// 1 / (N- + 2) for negatives, where N+ and N- are the summed weights of each
// class (the counts when unweighted), and the calibrated probability
// 1 / (1 + exp(a f + b)) with (a, b) minimizing the weighted cross-entropy
// against those targets; rows of weight 0 change nothing (they add 0 to N+,
// N- and the loss). scikit-learn stops BFGS at a gradient norm of 1e-5;
// rxflow runs Newton's method with a backtracking line search to a gradient
// norm below 1e-10 (or 100 steps), so it finds the same minimum more
// exactly. Plain functions of their arguments: safe to call from any thread.
#pragma once

#include <vector>

namespace rxflow::platt {

struct PlattMap {
  double a = 0;
  double b = 0;
  int iterations = 0;
  double gradient_norm = 0;
};

// weights: empty means every weight is 1.
// REQUIRES: scores.size() == labels.size() >= 1; labels 0 or 1; weights
// empty or of the same size, each >= 0.
PlattMap fit_platt(const std::vector<double>& scores, const std::vector<double>& labels,
                   const std::vector<double>& weights = {});
double apply_platt(const PlattMap& map, double score);

}  // namespace rxflow::platt

#include "isotonic.h"

#include <algorithm>
#include <numeric>

namespace rxflow::isotonic {

void pool_adjacent_violators(std::vector<double>& y, std::vector<double>& w) {
  const std::size_t n = y.size();
  // target[i] = j and target[j] = i when [i..j] is an active block.
  std::vector<std::size_t> target(n);
  std::iota(target.begin(), target.end(), 0);
  std::size_t i = 0;
  while (i < n) {
    std::size_t k = target[i] + 1;
    if (k == n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    double sum_wy = w[i] * y[i];
    double sum_w = w[i];
    for (;;) {
      const double previous = y[k];
      sum_wy += w[k] * y[k];
      sum_w += w[k];
      k = target[k] + 1;
      if (k == n || previous < y[k]) {
        y[i] = sum_wy / sum_w;
        w[i] = sum_w;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1];
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const std::size_t k = target[i] + 1;
    std::fill(y.begin() + static_cast<std::ptrdiff_t>(i + 1),
              y.begin() + static_cast<std::ptrdiff_t>(k), y[i]);
    i = k;
  }
}

IsotonicMap fit_isotonic(const std::vector<double>& scores, const std::vector<double>& labels,
                         const std::vector<double>& weights) {
  const auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  // scikit-learn drops rows without weight before anything else, so they
  // neither bound the clipped range nor leave an empty tie group (0 / 0).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (weight(i) > 0.0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && labels[a] < labels[b]);
  });
  // numpy.finfo(float64).resolution: _make_unique's tolerance for a tie.
  constexpr double kTieTolerance = 1e-15;
  std::vector<double> x, y, w;
  for (std::size_t r = 0; r < order.size();) {
    const double first = scores[order[r]];
    double sum_wy = 0.0, sum_w = 0.0;
    for (; r < order.size() && scores[order[r]] - first < kTieTolerance; ++r) {
      sum_wy += labels[order[r]] * weight(order[r]);
      sum_w += weight(order[r]);
    }
    x.push_back(first);
    y.push_back(sum_wy / sum_w);
    w.push_back(sum_w);
  }
  pool_adjacent_violators(y, w);
  IsotonicMap map;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool edge = i == 0 || i + 1 == x.size();
    if (edge || y[i] != y[i - 1] || y[i] != y[i + 1]) {
      map.x.push_back(x[i]);
      map.y.push_back(y[i]);
    }
  }
  return map;
}

double apply_isotonic(const IsotonicMap& map, double score) {
  if (map.x.size() == 1) return map.y[0];
  const double t = std::clamp(score, map.x.front(), map.x.back());
  // numpy.interp: the segment [x[j-1], x[j]] with x[j-1] <= t < x[j].
  const auto upper = std::upper_bound(map.x.begin(), map.x.end(), t);
  if (upper == map.x.end()) return map.y.back();
  const std::size_t j = static_cast<std::size_t>(upper - map.x.begin());
  const double slope = (map.y[j] - map.y[j - 1]) / (map.x[j] - map.x[j - 1]);
  return slope * (t - map.x[j - 1]) + map.y[j - 1];
}

}  // namespace rxflow::isotonic

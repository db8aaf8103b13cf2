#include "platt.h"

#include <cmath>

namespace rxflow::platt {
namespace {

// log(1 + exp(z)) without overflow.
double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

struct Problem {
  const std::vector<double>& f;
  std::vector<double> t;  // smoothed targets
  std::vector<double> w;  // sample weights

  // sum w (T log(1 + e^z) + (1 - T) log(1 + e^-z)), z = a f + b:
  // Platt's loss with P = 1 / (1 + e^z).
  double loss(double a, double b) const {
    double total = 0.0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      const double z = a * f[i] + b;
      total += w[i] * (t[i] * softplus(z) + (1.0 - t[i]) * softplus(-z));
    }
    return total;
  }
};

}  // namespace

PlattMap fit_platt(const std::vector<double>& scores, const std::vector<double>& labels,
                   const std::vector<double>& weights) {
  Problem problem{scores, std::vector<double>(labels.size()),
                  weights.empty() ? std::vector<double>(labels.size(), 1.0) : weights};
  // Platt's priors: the weight of each class, as scikit-learn sums them.
  double negatives = 0.0, positives = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    (labels[i] > 0.0 ? positives : negatives) += problem.w[i];
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    problem.t[i] =
        labels[i] > 0.0 ? (positives + 1.0) / (positives + 2.0) : 1.0 / (negatives + 2.0);
  }
  PlattMap map{0.0, std::log((negatives + 1.0) / (positives + 1.0)), 0, 0.0};
  double loss = problem.loss(map.a, map.b);
  for (map.iterations = 0; map.iterations < 100; ++map.iterations) {
    double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      const double p = 1.0 / (1.0 + std::exp(map.a * scores[i] + map.b));  // P of Platt's paper
      const double d = problem.w[i] * (problem.t[i] - p);                  // dLoss/dz
      const double h = problem.w[i] * p * (1.0 - p);
      ga += d * scores[i];
      gb += d;
      haa += h * scores[i] * scores[i];
      hab += h * scores[i];
      hbb += h;
    }
    map.gradient_norm = std::hypot(ga, gb);
    if (map.gradient_norm < 1e-10) break;
    // Newton step, with a tiny ridge so a flat direction (all scores equal) stays solvable.
    haa += 1e-12;
    hbb += 1e-12;
    const double det = haa * hbb - hab * hab;
    const double da = -(hbb * ga - hab * gb) / det;
    const double db = -(haa * gb - hab * ga) / det;
    double step = 1.0;
    for (; step > 1e-10; step *= 0.5) {
      const double candidate = problem.loss(map.a + step * da, map.b + step * db);
      if (candidate < loss + 1e-4 * step * (ga * da + gb * db)) {
        loss = candidate;
        break;
      }
    }
    if (step <= 1e-10) break;
    map.a += step * da;
    map.b += step * db;
  }
  return map;
}

double apply_platt(const PlattMap& map, double score) {
  return 1.0 / (1.0 + std::exp(map.a * score + map.b));
}

}  // namespace rxflow::platt

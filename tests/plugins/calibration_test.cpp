// Isotonic and Platt calibration against scikit-learn 1.2
// (tests/reference/metrics_reference.py), ties and one-class folds included,
// and with sample weights (tests/reference/calibration_weights_reference.py).
#include <catch2/catch.hpp>
#include <cmath>

#include "isotonic.h"
#include "platt.h"
#include "reference/calibration_weights_golden.h"
#include "reference/metrics_golden.h"

namespace rxflow {
namespace {

std::vector<double> scores() { return {std::begin(golden::kScores), std::end(golden::kScores)}; }
std::vector<double> labels() {
  std::vector<double> out;
  for (std::int64_t y : golden::kLabels) out.push_back(static_cast<double>(y));
  return out;
}

template <std::size_t N>
std::vector<double> vec(const double (&values)[N]) {
  return {std::begin(values), std::end(values)};
}

// _sigmoid_calibration's objective as its source writes it, with its
// float64 targets: sum w * -(T log P + (1 - T) log(1 - P)), P = 1 / (1 + e^(a f + b)).
double weighted_platt_objective(double a, double b) {
  namespace ref = golden::weighted;
  double total = 0.0;
  for (std::size_t i = 0; i < std::size(ref::kPlattScores); ++i) {
    const double p = 1.0 / (1.0 + std::exp(a * ref::kPlattScores[i] + b));
    const double t =
        ref::kPlattLabels[i] > 0 ? ref::kPlattTargetPositive : ref::kPlattTargetNegative;
    total += ref::kPlattWeights[i] * -(t * std::log(p) + (1.0 - t) * std::log(1.0 - p));
  }
  return total;
}

TEST_CASE("isotonic calibration equals scikit-learn's, tied scores merged first", "[calibration]") {
  const isotonic::IsotonicMap map = isotonic::fit_isotonic(scores(), labels());
  CHECK(map.x == std::vector<double>(std::begin(golden::kIsotonicX), std::end(golden::kIsotonicX)));
  CHECK(map.y == std::vector<double>(std::begin(golden::kIsotonicY), std::end(golden::kIsotonicY)));
  for (std::size_t i = 0; i < std::size(golden::kIsotonicQueries); ++i) {
    INFO("query " << golden::kIsotonicQueries[i]);
    CHECK(isotonic::apply_isotonic(map, golden::kIsotonicQueries[i]) ==
          golden::kIsotonicAtQueries[i]);
  }
}

TEST_CASE("pool adjacent violators pools weighted blocks and backtracks", "[calibration]") {
  std::vector<double> y{1, 3, 2, 4, 3.5, 0.5, 5}, w{1, 1, 1, 1, 1, 2, 1};
  isotonic::pool_adjacent_violators(y, w);
  // 3,2 -> 2.5; then 4,3.5,0.5(x2) -> 2.125, which undercuts 2.5: pooled with it.
  const double pooled = (3 + 2 + 4 + 3.5 + 2 * 0.5) / 6.0;
  const std::vector<double> expected{1, pooled, pooled, pooled, pooled, pooled, 5};
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(expected[i]).epsilon(1e-15));
  CHECK(std::is_sorted(y.begin(), y.end()));
}

TEST_CASE("a single distinct score calibrates to the mean label", "[calibration]") {
  const isotonic::IsotonicMap map = isotonic::fit_isotonic({0.3, 0.3, 0.3, 0.3}, {1, 0, 1, 1});
  CHECK(isotonic::apply_isotonic(map, 0.9) == 0.75);
  CHECK(isotonic::apply_isotonic(map, 0.0) == 0.75);
}

TEST_CASE(
    "weighted isotonic calibration equals scikit-learn's: weight-0 rows dropped, near ties merged",
    "[calibration]") {
  namespace ref = golden::weighted;
  const isotonic::IsotonicMap map = isotonic::fit_isotonic(
      vec(ref::kIsotonicScores), vec(ref::kIsotonicLabels), vec(ref::kIsotonicWeights));
  CHECK(map.x == vec(ref::kIsotonicX));
  REQUIRE(map.y.size() == std::size(ref::kIsotonicY));
  for (std::size_t i = 0; i < map.y.size(); ++i)
    CHECK(map.y[i] == Approx(ref::kIsotonicY[i]).margin(1e-12));
  for (std::size_t i = 0; i < std::size(ref::kIsotonicQueries); ++i) {
    INFO("query " << ref::kIsotonicQueries[i]);
    CHECK(isotonic::apply_isotonic(map, ref::kIsotonicQueries[i]) ==
          Approx(ref::kIsotonicAtQueries[i]).margin(1e-12));
  }
}

TEST_CASE("isotonic weights of 1 change nothing, and a weight of k counts as k copies of the row",
          "[calibration]") {
  const isotonic::IsotonicMap plain = isotonic::fit_isotonic(scores(), labels());
  const isotonic::IsotonicMap ones =
      isotonic::fit_isotonic(scores(), labels(), std::vector<double>(scores().size(), 1.0));
  CHECK(ones.x == plain.x);
  CHECK(ones.y == plain.y);
  std::vector<double> weights, repeated_scores, repeated_labels;
  for (std::size_t i = 0; i < scores().size(); ++i) {
    weights.push_back(static_cast<double>(i % 4));
    for (std::size_t k = 0; k < i % 4; ++k) {
      repeated_scores.push_back(scores()[i]);
      repeated_labels.push_back(labels()[i]);
    }
  }
  const isotonic::IsotonicMap weighted = isotonic::fit_isotonic(scores(), labels(), weights);
  const isotonic::IsotonicMap repeated = isotonic::fit_isotonic(repeated_scores, repeated_labels);
  CHECK(weighted.x == repeated.x);
  REQUIRE(weighted.y.size() == repeated.y.size());
  for (std::size_t i = 0; i < weighted.y.size(); ++i) {
    CHECK(weighted.y[i] == Approx(repeated.y[i]).margin(1e-12));
  }
}

TEST_CASE("Platt scaling reaches scikit-learn's minimum more exactly", "[calibration]") {
  const platt::PlattMap map = platt::fit_platt(scores(), labels());
  // scikit-learn stops BFGS at gradient norm 1e-5, so agreement is to about 1e-4.
  CHECK(map.a == Approx(golden::kPlattA).epsilon(1e-4));
  CHECK(map.b == Approx(golden::kPlattB).epsilon(1e-4));
  CHECK(map.gradient_norm < 1e-10);
  CHECK(platt::apply_platt(map, 0.8) ==
        Approx(1.0 / (1.0 + std::exp(golden::kPlattA * 0.8 + golden::kPlattB))).epsilon(1e-4));
}

TEST_CASE("Platt scaling on one class keeps the smoothed prior", "[calibration]") {
  const std::vector<double> all = scores();
  const std::vector<double> s(all.begin(), all.begin() + 10);
  const platt::PlattMap map = platt::fit_platt(s, std::vector<double>(10, 1.0));
  CHECK(map.a == Approx(golden::kPlattOneClassA).margin(1e-9));
  CHECK(map.b == Approx(golden::kPlattOneClassB).epsilon(1e-9));
}

TEST_CASE("weighted Platt scaling reaches the minimum of scikit-learn's weighted objective",
          "[calibration]") {
  namespace ref = golden::weighted;
  // The objective written here agrees with the 50-digit one of the script.
  REQUIRE(weighted_platt_objective(ref::kPlattBestA, ref::kPlattBestB) ==
          Approx(ref::kPlattBestObjective).epsilon(1e-13));
  const platt::PlattMap map =
      platt::fit_platt(vec(ref::kPlattScores), vec(ref::kPlattLabels), vec(ref::kPlattWeights));
  CHECK(map.gradient_norm < 1e-10);
  CHECK(std::abs(weighted_platt_objective(map.a, map.b) - ref::kPlattBestObjective) < 1e-9);
  CHECK(map.a == Approx(ref::kPlattBestA).epsilon(1e-9));
  CHECK(map.b == Approx(ref::kPlattBestB).epsilon(1e-9));
  // scikit-learn stops BFGS at gradient norm 1e-5: near the same minimum, not at it.
  CHECK(map.a == Approx(ref::kPlattSklearnA).epsilon(1e-4));
  CHECK(map.b == Approx(ref::kPlattSklearnB).epsilon(1e-4));
}

TEST_CASE("Platt weights of 1 change nothing, and rows of weight 0 count as absent",
          "[calibration]") {
  namespace ref = golden::weighted;
  const std::vector<double> f = vec(ref::kPlattScores), y = vec(ref::kPlattLabels);
  const platt::PlattMap plain = platt::fit_platt(f, y);
  const platt::PlattMap ones = platt::fit_platt(f, y, std::vector<double>(f.size(), 1.0));
  CHECK(ones.a == plain.a);
  CHECK(ones.b == plain.b);
  std::vector<double> kept_f, kept_y, kept_w;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (ref::kPlattWeights[i] == 0.0) continue;
    kept_f.push_back(f[i]);
    kept_y.push_back(y[i]);
    kept_w.push_back(ref::kPlattWeights[i]);
  }
  REQUIRE(kept_f.size() < f.size());
  const platt::PlattMap weighted = platt::fit_platt(f, y, vec(ref::kPlattWeights));
  const platt::PlattMap kept = platt::fit_platt(kept_f, kept_y, kept_w);
  CHECK(weighted.a == Approx(kept.a).epsilon(1e-12));
  CHECK(weighted.b == Approx(kept.b).epsilon(1e-12));
}

}  // namespace
}  // namespace rxflow

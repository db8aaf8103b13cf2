// Isotonic and Platt calibration against scikit-learn 1.2
// (tests/reference/metrics_reference.py), ties and one-class folds included.
#include <catch2/catch.hpp>
#include <cmath>

#include "isotonic.h"
#include "platt.h"
#include "reference/metrics_golden.h"

namespace rxflow {
namespace {

std::vector<double> scores() { return {std::begin(golden::kScores), std::end(golden::kScores)}; }
std::vector<double> labels() {
  std::vector<double> out;
  for (std::int64_t y : golden::kLabels) out.push_back(static_cast<double>(y));
  return out;
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

}  // namespace
}  // namespace rxflow

// Cross-fitted calibration (calibration_io.h) against scikit-learn 1.2's
// CalibratedClassifierCV with given splits, ensemble true and false
// (tests/reference/cross_fit_reference.py). The reference's base model
// predicts clip(x + 0.2 (mean of its training labels - 0.5)), computed here
// the same way, so the test checks the calibration alone: which rows each
// map fits on, and how the maps' outputs are averaged.
#include <catch2/catch.hpp>

#include <algorithm>

#include "calibration_io.h"
#include "isotonic.h"
#include "platt.h"
#include "reference/cross_fit_golden.h"

namespace rxflow {
namespace {

namespace ref = golden::cross_fit;

double shifted(double x, double shift) { return std::clamp(x + shift, 0.0, 1.0); }

// 0.2 (mean label of the rows outside fold `held` - 0.5); held < 0: all rows.
double shift_without(std::int64_t held) {
  double sum = 0.0, count = 0.0;
  for (std::size_t i = 0; i < std::size(ref::kLabels); ++i) {
    if (ref::kFold[i] == held) continue;
    sum += static_cast<double>(ref::kLabels[i]);
    count += 1.0;
  }
  return 0.2 * (sum / count - 0.5);
}

calibration::HeldOut out_of_fold() {
  calibration::HeldOut held;
  held.folds = static_cast<std::size_t>(ref::kFolds);
  for (std::size_t i = 0; i < std::size(ref::kScores); ++i) {
    held.probabilities.push_back(shifted(ref::kScores[i], shift_without(ref::kFold[i])));
    held.labels.push_back(static_cast<double>(ref::kLabels[i]));
    held.fold.push_back(ref::kFold[i]);
  }
  return held;
}

calibration::Predictions queries() {
  calibration::Predictions p;
  for (std::int64_t f = 0; f < ref::kFolds; ++f) {
    p.by_fold.emplace_back();
    for (double q : ref::kQueries) p.by_fold.back().push_back(shifted(q, shift_without(f)));
  }
  for (double q : ref::kQueries) p.own.push_back(shifted(q, shift_without(-1)));
  return p;
}

std::vector<double> cross_fitted(bool ensemble, bool isotonic) {
  std::vector<calibration::Map> maps;
  for (const calibration::FitRows& rows : calibration::fit_sets(out_of_fold(), ensemble)) {
    if (isotonic) {
      const isotonic::IsotonicMap map = isotonic::fit_isotonic(rows.probabilities, rows.labels);
      maps.push_back([map](double p) { return isotonic::apply_isotonic(map, p); });
    } else {
      const platt::PlattMap map = platt::fit_platt(rows.probabilities, rows.labels);
      maps.push_back([map](double p) { return platt::apply_platt(map, p); });
    }
  }
  CHECK(maps.size() == (ensemble ? static_cast<std::size_t>(ref::kFolds) : 1));
  return calibration::calibrate(maps, queries(), ensemble);
}

template <std::size_t N>
void check_all(const std::vector<double>& ours, const double (&expected)[N], double tolerance) {
  REQUIRE(ours.size() == N);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("query " << i << ": " << ref::kQueries[i]);
    CHECK(ours[i] == Approx(expected[i]).margin(tolerance).epsilon(0));
  }
}

TEST_CASE("cross-fitted isotonic equals CalibratedClassifierCV, ensemble and not",
          "[calibration]") {
  check_all(cross_fitted(true, true), ref::kIsotonicEnsemble, 1e-12);
  check_all(cross_fitted(false, true), ref::kIsotonicPooled, 1e-12);
}

// scikit-learn's BFGS stops at a gradient norm of 1e-5, rxflow's Newton
// steps go on to 1e-10 (platt.h): the two agree to about 1e-6.
TEST_CASE("cross-fitted Platt scaling equals CalibratedClassifierCV, ensemble and not",
          "[calibration]") {
  check_all(cross_fitted(true, false), ref::kPlattEnsemble, 1e-5);
  check_all(cross_fitted(false, false), ref::kPlattPooled, 1e-5);
}

TEST_CASE("fit_sets gives each fold's rows to its own map, or all rows to one", "[calibration]") {
  const calibration::HeldOut held = out_of_fold();
  const auto sets = calibration::fit_sets(held, true);
  std::size_t rows = 0;
  for (std::size_t f = 0; f < sets.size(); ++f) {
    rows += sets[f].labels.size();
    CHECK(sets[f].labels.size() ==
          static_cast<std::size_t>(std::count(std::begin(ref::kFold), std::end(ref::kFold), f)));
  }
  CHECK(rows == held.labels.size());
  CHECK(calibration::fit_sets(held, false).front().probabilities == held.probabilities);
}

}  // namespace
}  // namespace rxflow

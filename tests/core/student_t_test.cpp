// Student's t quantiles and CDF against 40-digit mpmath values, and the
// sweep summary's confidence interval built on them.
#include <catch2/catch.hpp>
#include <cmath>

#include "reference/student_t_golden.h"
#include "support/student_t.h"
#include "sweep/sweep_summary.h"

namespace rxflow {
namespace {

TEST_CASE("Student's t quantiles and CDF agree with 40-digit values", "[core][student_t]") {
  // To 1e-12 up to 1000 degrees of freedom (beyond, lgamma's cancellation
  // in the beta function's prefactor grows to ~1e-9 at a million).
  constexpr double kTolerance = 1e-12;
  for (const golden::StudentTRow& row : golden::kStudentTQuantiles) {
    INFO("df " << row.df << " p " << row.x);
    CHECK(student_t_quantile(row.x, row.df) == Approx(row.value).epsilon(kTolerance));
  }
  for (const golden::StudentTRow& row : golden::kStudentTCdf) {
    INFO("df " << row.df << " t " << row.x);
    CHECK(student_t_cdf(row.x, row.df) ==
          Approx(row.value).epsilon(kTolerance).margin(1e-15));
  }
}

TEST_CASE("a sweep summary gives the mean and the t interval over repeats", "[core][sweep]") {
  SweepIndex index;
  index.metric_names = {"m"};
  for (double value : {1.0, 2.0, 3.0}) {
    SweepRow row;
    row.key = "a.x=1";
    row.status = "complete";
    row.metrics = {value};
    index.rows.push_back(row);
  }
  SweepRow failed;
  failed.key = "a.x=2";
  failed.status = "failed";
  failed.metrics = {NAN};
  index.rows.push_back(failed);

  const std::vector<CombinationSummary> summary = summarize_sweep(index);
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].points == 3);
  CHECK(summary[0].complete == 3);
  const MetricSummary& m = summary[0].metrics.at(0);
  CHECK(m.n == 3);
  CHECK(m.mean == 2.0);
  CHECK(m.sd == 1.0);
  // t(0.975, 2) = 4.302652729749464 (mpmath)
  const double half = 4.302652729749464 / std::sqrt(3.0);
  CHECK(m.low == Approx(2.0 - half).epsilon(1e-12));
  CHECK(m.high == Approx(2.0 + half).epsilon(1e-12));
  CHECK(summary[1].failed == 1);
  CHECK(summary[1].metrics.at(0).n == 0);
  CHECK(std::isnan(summary[1].metrics.at(0).mean));
}

}  // namespace
}  // namespace rxflow

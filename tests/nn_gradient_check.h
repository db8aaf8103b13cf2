// Central differences of L(x) = sum(f(x) .* upstream) against an analytic
// gradient, in float64 (float32's rounding would swamp the difference).
#pragma once

#include <catch2/catch.hpp>
#include <functional>

#include "nn/matrix.h"

namespace rxflow::testing {

inline void check_gradient(nn::Matrix<double>& x,
                           const std::function<nn::Matrix<double>()>& forward,
                           const nn::Matrix<double>& upstream, const nn::Matrix<double>& analytic) {
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double saved = x.data()[i];
    x.data()[i] = saved + h;
    const double plus = forward().cwiseProduct(upstream).sum();
    x.data()[i] = saved - h;
    const double minus = forward().cwiseProduct(upstream).sum();
    x.data()[i] = saved;
    INFO("element " << i);
    CHECK(analytic.data()[i] == Approx((plus - minus) / (2 * h)).margin(1e-7).epsilon(1e-6));
  }
}

}  // namespace rxflow::testing

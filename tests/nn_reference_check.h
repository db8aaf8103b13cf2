// Comparisons with the PyTorch values of tests/reference/nn_reference.py
// (reference/nn_golden.h), each computed by PyTorch in the type T it is
// compared in.
#pragma once

#include <catch2/catch.hpp>
#include <cstddef>
#include <type_traits>

#include "nn/matrix.h"
#include "reference/nn_golden.h"

namespace rxflow::testing {

template <typename T>
using Golden = golden::Reference<T>;

// Equal to PyTorch's value in the same type up to rounding: the two differ
// only in the order of their sums (PyTorch's products fuse and block them).
template <typename T>
constexpr double kRoundingTolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;

template <typename T, std::size_t N>
void check_close(const nn::Matrix<T>& actual, const double (&expected)[N],
                 double tolerance = kRoundingTolerance<T>) {
  REQUIRE(static_cast<std::size_t>(actual.size()) == N);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("element " << i);
    CHECK(static_cast<double>(actual.data()[i]) ==
          Approx(expected[i]).margin(tolerance).epsilon(tolerance));
  }
}

}  // namespace rxflow::testing

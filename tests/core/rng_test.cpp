// Rng against golden values from an independent Python implementation
// (tests/reference/rng_reference.py), and its moments on large samples.
#include "rxflow/rng.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "reference/rng_golden.h"

namespace rxflow {
namespace {

template <std::size_t N, typename Draw>
void check_exact(const double (&expected)[N], Draw draw) {
  for (std::size_t i = 0; i < N; ++i) {
    INFO("draw " << i);
    CHECK(draw() == expected[i]);
  }
}

TEST_CASE("Rng draws match the reference implementation bit for bit", "[rng]") {
  SECTION("raw engine output") {
    Rng rng(42);
    for (std::uint64_t expected : golden::kU64Seed42) CHECK(rng.next_u64() == expected);
  }
  SECTION("uniform") {
    Rng rng(42);
    check_exact(golden::kUniformSeed42, [&] { return rng.uniform(); });
  }
  SECTION("normal, including the cached second value of each pair") {
    Rng rng(7);
    check_exact(golden::kNormalSeed7, [&] { return rng.normal(1.5, 2.0); });
  }
  SECTION("uniform_int") {
    Rng rng(11);
    for (std::uint64_t expected : golden::kUniformIntSeed11N7)
      CHECK(rng.uniform_int(7) == expected);
  }
  SECTION("bernoulli") {
    Rng rng(13);
    for (int expected : golden::kBernoulliSeed13P03) CHECK(rng.bernoulli(0.3) == (expected == 1));
  }
  SECTION("categorical never picks a zero weight") {
    Rng rng(17);
    for (std::size_t expected : golden::kCategoricalSeed17) {
      CHECK(rng.categorical({0.2, 0.0, 0.5, 0.3}) == expected);
    }
  }
  SECTION("gamma, shape above and below one") {
    Rng rng(19);
    check_exact(golden::kGammaSeed19Shape2p5, [&] { return rng.gamma(2.5); });
    Rng small(23);
    check_exact(golden::kGammaSeed23Shape0p4, [&] { return small.gamma(0.4); });
  }
  SECTION("beta") {
    Rng rng(29);
    check_exact(golden::kBetaSeed29A2B5, [&] { return rng.beta(2.0, 5.0); });
  }
}

TEST_CASE("the engine is std::mt19937_64, across many blocks and any seed", "[rng]") {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    INFO("seed " << seed);
    Rng rng(seed);
    std::mt19937_64 standard(seed);
    bool equal = true;
    for (int i = 0; i < 5000 && equal; ++i) equal = rng.next_u64() == standard();
    CHECK(equal);
  }
}

TEST_CASE("fill_uniform gives the values of successive uniform() calls", "[rng]") {
  for (std::size_t offset : {0, 5, 311, 312}) {
    for (std::size_t length : {0, 1, 311, 312, 313, 1000}) {
      INFO("offset " << offset << " length " << length);
      Rng one_by_one(3), filled(3);
      for (std::size_t i = 0; i < offset; ++i) {
        one_by_one.next_u64();
        filled.next_u64();
      }
      std::vector<double> values(length);
      filled.fill_uniform(values);
      bool equal = true;
      for (double value : values) equal = equal && value == one_by_one.uniform();
      CHECK(equal);
      CHECK(filled.next_u64() == one_by_one.next_u64());  // both left at the same place
    }
  }
}

struct Moments {
  double mean = 0, variance = 0;
};

template <typename Draw>
Moments moments(int n, Draw draw) {
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  return {mean, sum_sq / n - mean * mean};
}

// Tolerances are about five standard errors at n = 200,000.
TEST_CASE("Rng distributions have the documented moments", "[rng]") {
  constexpr int n = 200'000;
  Rng rng(2024);
  SECTION("uniform(2, 5): mean 3.5, variance 0.75") {
    const Moments m = moments(n, [&] { return rng.uniform(2.0, 5.0); });
    CHECK(m.mean == Approx(3.5).margin(0.01));
    CHECK(m.variance == Approx(0.75).margin(0.01));
  }
  SECTION("normal(70, 15)") {
    const Moments m = moments(n, [&] { return rng.normal(70.0, 15.0); });
    CHECK(m.mean == Approx(70.0).margin(0.2));
    CHECK(m.variance == Approx(225.0).margin(4.0));
  }
  SECTION("bernoulli(0.3)") {
    const Moments m = moments(n, [&] { return rng.bernoulli(0.3) ? 1.0 : 0.0; });
    CHECK(m.mean == Approx(0.3).margin(0.006));
  }
  SECTION("gamma(0.4): mean and variance 0.4") {
    const Moments m = moments(n, [&] { return rng.gamma(0.4); });
    CHECK(m.mean == Approx(0.4).margin(0.01));
    CHECK(m.variance == Approx(0.4).margin(0.03));
  }
  SECTION("beta(2, 5): mean 2/7, variance 10/392") {
    const Moments m = moments(n, [&] { return rng.beta(2.0, 5.0); });
    CHECK(m.mean == Approx(2.0 / 7.0).margin(0.002));
    CHECK(m.variance == Approx(10.0 / 392.0).margin(0.0005));
  }
  SECTION("categorical frequencies follow the weights") {
    std::vector<int> counts(3, 0);
    for (int i = 0; i < n; ++i) ++counts[rng.categorical({1.0, 2.0, 7.0})];
    CHECK(counts[0] / double(n) == Approx(0.1).margin(0.004));
    CHECK(counts[1] / double(n) == Approx(0.2).margin(0.005));
    CHECK(counts[2] / double(n) == Approx(0.7).margin(0.006));
  }
  SECTION("uniform_int is unbiased for a modulus that does not divide 2^64") {
    std::vector<int> counts(3, 0);
    for (int i = 0; i < n; ++i) ++counts[rng.uniform_int(3)];
    for (int count : counts) CHECK(count / double(n) == Approx(1.0 / 3.0).margin(0.006));
  }
}

TEST_CASE("uniform never returns 1", "[rng]") {
  Rng rng(5);
  for (int i = 0; i < 100'000; ++i) REQUIRE(rng.uniform() < 1.0);
}

}  // namespace
}  // namespace rxflow

// Rng: the only source of randomness a stage may use. The engine is
// mt19937_64 as the C++ standard specifies it, written here (a whole block
// of 312 outputs at a time, which libstdc++'s is several times slower at)
// and tested equal to std::mt19937_64. Every distribution is written here
// and documented in docs/seeds.md, because std::*_distribution differ
// between standard libraries. Golden values pin them in the tests.
// Not thread-safe: one Rng per stage (or per worker, seeded by derive_seed).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rxflow {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next_u64();
  // [0, 1) with 53 random bits: (next_u64() >> 11) * 2^-53.
  double uniform();
  // Fills out with successive uniform() draws: the same values as calling
  // uniform() out.size() times, faster.
  void fill_uniform(std::span<double> out);
  // lo + (hi - lo) * uniform().
  double uniform(double lo, double hi);
  // Unbiased integer in [0, n) by rejection. REQUIRES: n > 0.
  std::uint64_t uniform_int(std::uint64_t n);
  // Marsaglia's polar method; the second value of each pair is kept for the
  // next call.
  double normal(double mean = 0.0, double sd = 1.0);
  // uniform() < p.
  bool bernoulli(double p);
  // Index i with probability weights[i] / sum(weights): the first i whose
  // running sum exceeds uniform() * sum. REQUIRES: weights >= 0, sum > 0.
  std::size_t categorical(const std::vector<double>& weights);
  // Marsaglia & Tsang (2000); shape < 1 via gamma(shape + 1) * u^(1/shape).
  // REQUIRES: shape > 0.
  double gamma(double shape);
  // x / (x + y) with x = gamma(a), y = gamma(b). REQUIRES: a, b > 0.
  double beta(double a, double b);

 private:
  static constexpr std::size_t kStateSize = 312;
  // Advances the state by one block; the next outputs are its tempered words.
  void twist();

  // The layout of libstdc++'s std::mt19937_64, so the class keeps its size.
  std::array<std::uint64_t, kStateSize> state_;
  std::size_t next_;
  std::optional<double> spare_normal_;
};

}  // namespace rxflow

#include "rxflow/rng.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

namespace rxflow {

namespace {

// mt19937_64's parameters ([rand.predef] in the C++ standard).
constexpr std::size_t kShift = 156;
constexpr std::uint64_t kMatrix = 0xB5026F5AA96619E9ULL;
constexpr std::uint64_t kUpperMask = 0xFFFFFFFF80000000ULL;
constexpr std::uint64_t kLowerMask = 0x7FFFFFFFULL;

std::uint64_t twisted(std::uint64_t word, std::uint64_t next, std::uint64_t shifted) {
  const std::uint64_t y = (word & kUpperMask) | (next & kLowerMask);
  return shifted ^ (y >> 1) ^ ((0 - (y & 1)) & kMatrix);
}

std::uint64_t tempered(std::uint64_t z) {
  z ^= (z >> 29) & 0x5555555555555555ULL;
  z ^= (z << 17) & 0x71D67FFFEDA60000ULL;
  z ^= (z << 37) & 0xFFF7EEE000000000ULL;
  return z ^ (z >> 43);
}

// (word >> 11) * 2^-53 exactly, in operations SSE2 has for whole vectors
// (it has no 64-bit integer to double conversion), so fill_uniform's loop
// vectorizes: the top 52 bits as the mantissa of a double in [1, 2), minus
// 1 (exact), plus 2^-53 when the 53rd bit is set (exact: the sum is a
// multiple of 2^-53 below 1).
double uniform_of(std::uint64_t word) {
  const double high = std::bit_cast<double>((word >> 12) | 0x3FF0000000000000ULL) - 1.0;
  const std::uint64_t low_bit = (word >> 11) & 1;
  return high + std::bit_cast<double>((0 - low_bit) & std::bit_cast<std::uint64_t>(0x1.0p-53));
}

}  // namespace

Rng::Rng(std::uint64_t seed) : next_(kStateSize) {
  state_[0] = seed;
  for (std::size_t i = 1; i < kStateSize; ++i) {
    state_[i] = 6364136223846793005ULL * (state_[i - 1] ^ (state_[i - 1] >> 62)) + i;
  }
}

// twist and fill_uniform, the loops a dropout mask spends its time in, are
// compiled for three widths and the loader picks one for the CPU; they are
// integer operations and exact conversions, so no value depends on the
// width (docs/decisions.md).
// The fuzz build (clang's sanitizers) has one width: there the loader would
// call the width picker before the sanitizers' runtime has started.
#ifdef RXFLOW_NO_TARGET_CLONES
#define RXFLOW_RNG_CLONES
#else
#define RXFLOW_RNG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

// Split in three loops so that none reads a word it has already replaced
// in the same pass, which lets the compiler vectorize the first two.
RXFLOW_RNG_CLONES void Rng::twist() {
  std::size_t i = 0;
  for (; i < kStateSize - kShift; ++i) {
    state_[i] = twisted(state_[i], state_[i + 1], state_[i + kShift]);
  }
  for (; i < kStateSize - 1; ++i) {
    state_[i] = twisted(state_[i], state_[i + 1], state_[i + kShift - kStateSize]);
  }
  state_[i] = twisted(state_[i], state_[0], state_[kShift - 1]);
  next_ = 0;
}

std::uint64_t Rng::next_u64() {
  if (next_ == kStateSize) twist();
  return tempered(state_[next_++]);
}

double Rng::uniform() { return uniform_of(next_u64()); }

RXFLOW_RNG_CLONES void Rng::fill_uniform(std::span<double> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (next_ == kStateSize) twist();
    const std::size_t count = std::min(kStateSize - next_, out.size() - done);
    for (std::size_t i = 0; i < count; ++i) {
      out[done + i] = uniform_of(tempered(state_[next_ + i]));
    }
    next_ += count;
    done += count;
  }
}

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

std::uint64_t Rng::uniform_int(std::uint64_t n) {
  assert(n > 0);
  // Values below 2^64 mod n would make the low residues more likely.
  const std::uint64_t threshold = (0 - n) % n;
  std::uint64_t x = next_u64();
  while (x < threshold) x = next_u64();
  return x % n;
}

double Rng::normal(double mean, double sd) {
  if (spare_normal_) {
    const double z = *spare_normal_;
    spare_normal_.reset();
    return mean + sd * z;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  return mean + sd * (u * factor);
}

bool Rng::bernoulli(double p) { return uniform() < p; }

std::size_t Rng::categorical(const std::vector<double>& weights) {
  assert(!weights.empty());
  double total = 0.0;
  for (double w : weights) total += w;
  const double target = uniform() * total;
  double running = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    if (target < running) return i;
  }
  // Rounding can leave target == total; the last positive weight takes it.
  std::size_t last = weights.size() - 1;
  while (last > 0 && weights[last] <= 0.0) --last;
  return last;
}

double Rng::gamma(double shape) {
  assert(shape > 0.0);
  if (shape < 1.0) {
    const double g = gamma(shape + 1.0);
    return g * std::pow(uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double Rng::beta(double a, double b) {
  const double x = gamma(a);
  const double y = gamma(b);
  return x / (x + y);
}

}  // namespace rxflow

// The kernel levels (nn/kernels.h) this CPU can run, for tests that compare
// results across them, and a guard that restores the start-up level.
#pragma once

#include <cstring>
#include <vector>

#include "nn/kernels.h"

namespace rxflow::testing {

inline std::vector<nn::kernels::Level> supported_kernel_levels() {
  std::vector<nn::kernels::Level> levels;
  for (nn::kernels::Level level : nn::kernels::kLevels) {
    if (nn::kernels::supported(level)) levels.push_back(level);
  }
  return levels;
}

class KernelLevelGuard {
 public:
  KernelLevelGuard() : saved_(nn::kernels::active_level()) {}
  ~KernelLevelGuard() { nn::kernels::use_level(saved_); }
  KernelLevelGuard(const KernelLevelGuard&) = delete;
  KernelLevelGuard& operator=(const KernelLevelGuard&) = delete;

 private:
  nn::kernels::Level saved_;
};

// Bit-for-bit equality, telling 0.0 from -0.0.
template <typename T>
bool same_bits(const T* a, const T* b, std::size_t n) {
  return std::memcmp(a, b, n * sizeof(T)) == 0;
}

}  // namespace rxflow::testing

// The compute kernels under the layer library: the matrix product and Adam's
// update, the two places where the classifier's training spends its time.
//
// Each kernel is compiled once per instruction-set level (SSE2, AVX2,
// AVX-512; kernels_isa.cpp) and the widest one the CPU supports runs. They
// give bit-identical results on every level because of how they are written:
// a vector only ever holds independent output elements, every element goes
// through the same sequence of IEEE operations, and no multiply-add is fused
// (-ffp-contract=off). So a run replays bit for bit on any x86-64 machine,
// and only its speed depends on the CPU (docs/decisions.md).
//
// The level is process-wide; use_level is for tests and benchmarks and must
// not race with running kernels. The kernels themselves are thread-safe.
#pragma once

#include <cstddef>

namespace rxflow::nn::kernels {

// A read-only strided matrix: element (r, c) is data[r * row_stride + c * col_stride],
// so a transpose is the same data with the strides swapped.
struct View {
  const double* data;
  std::ptrdiff_t rows, cols, row_stride, col_stride;
};

// c (a.rows, b.cols), row-major with row stride ldc, = a b; or c + a b when
// accumulate. Element (i, j) is ((0 + a(i,0) b(0,j)) + a(i,1) b(1,j)) + ...
// in order of the shared index, each product rounded before it is added,
// and then added to c(i, j) when accumulating.
// REQUIRES: a.cols == b.rows; c does not overlap a or b.
void gemm(const View& a, const View& b, double* c, std::ptrdiff_t ldc, bool accumulate);

// The same data seen as its transpose.
View transposed(const View& v);

// One Adam step over n elements, in PyTorch 1.13's order of operations:
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + ((1 - beta2) g) g
//   p = p + ((-step_size) m) / (sqrt(v) / correction2_sqrt + eps)
struct AdamStep {
  double beta1, beta2, step_size, correction2_sqrt, eps;
};
void adam(const AdamStep& step, double* p, const double* g, double* m, double* v, std::ptrdiff_t n);

enum class Level { kSse2, kAvx2, kAvx512 };
// Every level, narrowest first.
inline constexpr Level kLevels[] = {Level::kSse2, Level::kAvx2, Level::kAvx512};

// "sse2", "avx2", "avx512".
const char* level_name(Level level);
// Whether this CPU (and its operating system) can run the level.
bool supported(Level level);
// The level in use: the widest supported one unless use_level chose another.
Level active_level();
// REQUIRES: supported(level).
void use_level(Level level);

// One level's kernels; kernels_isa.cpp defines one table per level.
struct Table {
  void (*gemm)(const View& a, const View& b, double* c, std::ptrdiff_t ldc, bool accumulate);
  void (*adam)(const AdamStep& step, double* p, const double* g, double* m, double* v,
               std::ptrdiff_t n);
};

}  // namespace rxflow::nn::kernels

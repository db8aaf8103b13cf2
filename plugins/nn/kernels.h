// The compute kernels under the layer library: the matrix product, Adam's
// update, and the element loops of the layers the classifier trains with
// (Linear's bias, BatchNorm, ReLU, Dropout), where its training spends its time.
//
// Each kernel is compiled once per instruction-set level (SSE2, AVX2,
// AVX-512; kernels_isa.cpp) and the widest one the CPU supports runs. They
// give bit-identical results on every level because of how they are written:
// a vector only ever holds independent output elements, every element goes
// through the same sequence of IEEE operations, and no multiply-add is fused
// (-ffp-contract=off). Column sums run over rows in order, one column per
// vector lane. So a run replays bit for bit on any x86-64 machine,
// and only its speed depends on the CPU (docs/decisions.md).
//
// The level is process-wide; use_level is for tests and benchmarks and must
// not race with running kernels. The kernels themselves are thread-safe.
#pragma once

#include <cstddef>

namespace rxflow::nn::kernels {

using Index = std::ptrdiff_t;

// A read-only strided matrix: element (r, c) is data[r * row_stride + c * col_stride],
// so a transpose is the same data with the strides swapped.
struct View {
  const double* data;
  Index rows, cols, row_stride, col_stride;
};

// c (a.rows, b.cols), row-major with row stride ldc, = a b; or c + a b when
// accumulate. Element (i, j) is ((0 + a(i,0) b(0,j)) + a(i,1) b(1,j)) + ...
// in order of the shared index, each product rounded before it is added,
// and then added to c(i, j) when accumulating.
// REQUIRES: a.cols == b.rows; c does not overlap a or b.
void gemm(const View& a, const View& b, double* c, Index ldc, bool accumulate);

// The same data seen as its transpose.
View transposed(const View& v);

// One Adam step over n elements, in PyTorch 1.13's order of operations:
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + ((1 - beta2) g) g
//   p = p + ((-step_size) m) / (sqrt(v) / correction2_sqrt + eps)
struct AdamStep {
  double beta1, beta2, step_size, correction2_sqrt, eps;
};
void adam(const AdamStep& step, double* p, const double* g, double* m, double* v, Index n);

// Element loops over row-major arrays of rows x cols values (n = rows cols);
// arrays do not overlap. A `row` or per-column array has cols values.

// x(i, j) += row(j) for every row i.
void add_row(double* x, Index rows, Index cols, const double* row);
// sums(j) = (0 + x(0, j)) + x(1, j) + ... over the rows in order.
void column_sums(const double* x, Index rows, Index cols, double* sums);
// sums(j) = (0 + (x(0, j) - center(j))^2) + ... over the rows in order.
void column_square_sums(const double* x, const double* center, Index rows, Index cols,
                        double* sums);
// sums(j) = (0 + x(0, j) y(0, j)) + ... over the rows in order.
void column_product_sums(const double* x, const double* y, Index rows, Index cols, double* sums);

// BatchNorm's forward from per-column statistics:
//   normalized = (x - mean) inv_std;  out = normalized weight + bias.
struct BatchNormRows {
  const double* mean;
  const double* inv_std;
  const double* weight;
  const double* bias;
};
void batch_norm_rows(const BatchNormRows& stats, const double* x, Index rows, Index cols,
                     double* normalized, double* out);
// BatchNorm's input gradient, with sum_d = sum(d) weight and sum_d_x =
// sum(d normalized) weight per column, B = rows:
//   d_in = (B (d weight) - sum_d - normalized sum_d_x) (inv_std / B).
struct BatchNormGradient {
  const double* weight;
  const double* sum_d;
  const double* sum_d_x;
  const double* inv_std;
};
void batch_norm_input_gradient(const BatchNormGradient& terms, const double* d,
                               const double* normalized, Index rows, Index cols, double* d_in);

// out = in < 0 ? 0 : in (std::max(in, 0.0)).
void relu(const double* in, double* out, Index n);
// d_in = out > 0 ? d : 0.
void relu_gradient(const double* out, const double* d, double* d_in, Index n);
// values = values < keep ? scale : 0, in place: uniform draws to a dropout mask.
void dropout_mask(double* values, Index n, double keep, double scale);
// out = a b, element by element.
void multiply_elements(const double* a, const double* b, double* out, Index n);

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

// One level's kernels, as declared above; kernels_isa.cpp defines one table
// per level.
struct Table {
  void (*gemm)(const View& a, const View& b, double* c, Index ldc, bool accumulate);
  void (*adam)(const AdamStep& step, double* p, const double* g, double* m, double* v, Index n);
  void (*add_row)(double* x, Index rows, Index cols, const double* row);
  void (*column_sums)(const double* x, Index rows, Index cols, double* sums);
  void (*column_square_sums)(const double* x, const double* center, Index rows, Index cols,
                             double* sums);
  void (*column_product_sums)(const double* x, const double* y, Index rows, Index cols,
                              double* sums);
  void (*batch_norm_rows)(const BatchNormRows& stats, const double* x, Index rows, Index cols,
                          double* normalized, double* out);
  void (*batch_norm_input_gradient)(const BatchNormGradient& terms, const double* d,
                                    const double* normalized, Index rows, Index cols, double* d_in);
  void (*relu)(const double* in, double* out, Index n);
  void (*relu_gradient)(const double* out, const double* d, double* d_in, Index n);
  void (*dropout_mask)(double* values, Index n, double keep, double scale);
  void (*multiply_elements)(const double* a, const double* b, double* out, Index n);
};

}  // namespace rxflow::nn::kernels

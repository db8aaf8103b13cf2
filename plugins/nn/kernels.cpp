#include "nn/kernels.h"

#include <cassert>

namespace rxflow::nn::kernels {

namespace sse2 {
extern const Table table;
}
namespace avx2 {
extern const Table table;
}
namespace avx512 {
extern const Table table;
}

namespace {

const Table& table_of(Level level) {
  switch (level) {
    case Level::kAvx512:
      return avx512::table;
    case Level::kAvx2:
      return avx2::table;
    case Level::kSse2:
      break;
  }
  return sse2::table;
}

Level widest_supported() {
  Level widest = Level::kSse2;
  for (Level level : kLevels) {
    if (supported(level)) widest = level;
  }
  return widest;
}

Level& current_level() {
  static Level level = widest_supported();
  return level;
}

const Table& active_table() { return table_of(current_level()); }

}  // namespace

const char* level_name(Level level) {
  switch (level) {
    case Level::kAvx512:
      return "avx512";
    case Level::kAvx2:
      return "avx2";
    case Level::kSse2:
      break;
  }
  return "sse2";
}

bool supported(Level level) {
  // libgcc's checks include the operating system's support (XCR0) for the
  // wider registers. Initialising it is idempotent; a plugin may be loaded
  // before its constructors would have.
  __builtin_cpu_init();
  switch (level) {
    case Level::kAvx512:
      return __builtin_cpu_supports("avx512f");
    case Level::kAvx2:
      return __builtin_cpu_supports("avx2");
    case Level::kSse2:
      break;
  }
  return true;
}

Level active_level() { return current_level(); }

void use_level(Level level) {
  assert(supported(level));
  current_level() = level;
}

View transposed(const View& v) { return {v.data, v.cols, v.rows, v.col_stride, v.row_stride}; }

void gemm(const View& a, const View& b, double* c, Index ldc, bool accumulate) {
  assert(a.cols == b.rows);
  active_table().gemm(a, b, c, ldc, accumulate);
}

void adam(const AdamStep& step, double* p, const double* g, double* m, double* v, Index n) {
  active_table().adam(step, p, g, m, v, n);
}

void add_row(double* x, Index rows, Index cols, const double* row) {
  active_table().add_row(x, rows, cols, row);
}

void column_sums(const double* x, Index rows, Index cols, double* sums) {
  active_table().column_sums(x, rows, cols, sums);
}

void column_square_sums(const double* x, const double* center, Index rows, Index cols,
                        double* sums) {
  active_table().column_square_sums(x, center, rows, cols, sums);
}

void column_product_sums(const double* x, const double* y, Index rows, Index cols, double* sums) {
  active_table().column_product_sums(x, y, rows, cols, sums);
}

void batch_norm_rows(const BatchNormRows& stats, const double* x, Index rows, Index cols,
                     double* normalized, double* out) {
  active_table().batch_norm_rows(stats, x, rows, cols, normalized, out);
}

void batch_norm_input_gradient(const BatchNormGradient& terms, const double* d,
                               const double* normalized, Index rows, Index cols, double* d_in) {
  active_table().batch_norm_input_gradient(terms, d, normalized, rows, cols, d_in);
}

void relu(const double* in, double* out, Index n) { active_table().relu(in, out, n); }

void relu_gradient(const double* out, const double* d, double* d_in, Index n) {
  active_table().relu_gradient(out, d, d_in, n);
}

void dropout_mask(double* values, Index n, double keep, double scale) {
  active_table().dropout_mask(values, n, keep, scale);
}

void multiply_elements(const double* a, const double* b, double* out, Index n) {
  active_table().multiply_elements(a, b, out, n);
}

}  // namespace rxflow::nn::kernels

// The compute kernels under the layer library: the matrix product, Adam's
// update, and the element loops of the layers the classifier trains with
// (Linear's bias, BatchNorm, ReLU, Dropout), where its training spends its
// time, and LeakyReLU's (the image discriminator's activation).
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
// Every kernel exists for float and double, the layer library's two compute
// types: in Table<T> all arithmetic is in T. Callers reach the kernels of the
// level in use through active<T>(), e.g. kernels::active<float>().relu(...).
//
// The level is process-wide; use_level is for tests and benchmarks and must
// not race with running kernels. The kernels themselves are thread-safe.
#pragma once

#include <cstddef>

namespace rxflow::nn::kernels {

using Index = std::ptrdiff_t;

// A read-only strided matrix: element (r, c) is data[r * row_stride + c * col_stride],
// so a transpose is the same data with the strides swapped.
template <typename T>
struct View {
  const T* data;
  Index rows, cols, row_stride, col_stride;
};

// The same data seen as its transpose. (Out of line, as every function
// kernels_isa.cpp calls: see there.)
template <typename T>
View<T> transposed(const View<T>& v);

// Adam's constants for one step (see Table::adam). PyTorch computes them
// in double and rounds each to the tensor's type, 1 - beta too.
template <typename T>
struct AdamStep {
  T beta1, beta2, one_minus_beta1, one_minus_beta2, step_size, correction2_sqrt, eps;
};

// BatchNorm's per-column statistics for its forward (Table::batch_norm_rows).
template <typename T>
struct BatchNormRows {
  const T* mean;
  const T* inv_std;
  const T* weight;
  const T* bias;
};

// BatchNorm's per-column terms for its input gradient
// (Table::batch_norm_input_gradient).
template <typename T>
struct BatchNormGradient {
  const T* weight;
  const T* sum_d;
  const T* sum_d_x;
  const T* inv_std;
};

// One level's kernels for one type. Element loops run over row-major arrays
// of rows x cols values (n = rows cols) that do not overlap; a `row` or
// per-column array has cols values.
template <typename T>
struct Table {
  // c (a.rows, b.cols), row-major with row stride ldc, = a b; or c + a b when
  // accumulate. Element (i, j) is ((0 + a(i,0) b(0,j)) + a(i,1) b(1,j)) + ...
  // in order of the shared index, each product rounded before it is added,
  // and then added to c(i, j) when accumulating.
  // REQUIRES: a.cols == b.rows; c does not overlap a or b.
  void (*gemm)(const View<T>& a, const View<T>& b, T* c, Index ldc, bool accumulate);

  // One Adam step over n elements, in PyTorch 1.13's order of operations:
  //   m = beta1 m + one_minus_beta1 g;  v = beta2 v + (one_minus_beta2 g) g
  //   p = p + ((-step_size) m) / (sqrt(v) / correction2_sqrt + eps)
  void (*adam)(const AdamStep<T>& step, T* p, const T* g, T* m, T* v, Index n);

  // x(i, j) += row(j) for every row i.
  void (*add_row)(T* x, Index rows, Index cols, const T* row);
  // sums(j) = (0 + x(0, j)) + x(1, j) + ... over the rows in order.
  void (*column_sums)(const T* x, Index rows, Index cols, T* sums);
  // sums(j) = (0 + (x(0, j) - center(j))^2) + ... over the rows in order.
  void (*column_square_sums)(const T* x, const T* center, Index rows, Index cols, T* sums);
  // sums(j) = (0 + x(0, j) y(0, j)) + ... over the rows in order.
  void (*column_product_sums)(const T* x, const T* y, Index rows, Index cols, T* sums);

  // BatchNorm's forward: normalized = (x - mean) inv_std;
  // out = normalized weight + bias.
  void (*batch_norm_rows)(const BatchNormRows<T>& stats, const T* x, Index rows, Index cols,
                          T* normalized, T* out);
  // BatchNorm's input gradient, with sum_d = sum(d) weight and sum_d_x =
  // sum(d normalized) weight per column, B = rows:
  //   d_in = (B (d weight) - sum_d - normalized sum_d_x) (inv_std / B).
  void (*batch_norm_input_gradient)(const BatchNormGradient<T>& terms, const T* d,
                                    const T* normalized, Index rows, Index cols, T* d_in);

  // out = in < 0 ? 0 : in (std::max(in, 0)).
  void (*relu)(const T* in, T* out, Index n);
  // d_in = out > 0 ? d : 0.
  void (*relu_gradient)(const T* out, const T* d, T* d_in, Index n);
  // mask = uniforms < keep ? scale : 0: uniform draws to a dropout mask. The
  // draws and keep are doubles for either T, so both types drop the same
  // elements for the same draws.
  void (*dropout_mask)(const double* uniforms, Index n, double keep, T scale, T* mask);
  // out = a b, element by element.
  void (*multiply_elements)(const T* a, const T* b, T* out, Index n);
  // out = in > 0 ? in : in slope (PyTorch's leaky_relu).
  void (*leaky_relu)(const T* in, T slope, T* out, Index n);
  // d_in = in > 0 ? d : d slope (PyTorch's leaky_relu_backward, which tests
  // the input).
  void (*leaky_relu_gradient)(const T* in, const T* d, T slope, T* d_in, Index n);
};

// A level's tables; kernels_isa.cpp defines one per level.
struct Tables {
  Table<float> float32;
  Table<double> float64;
};

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

// The kernels of the level in use. T is float or double.
template <typename T>
const Table<T>& active();

}  // namespace rxflow::nn::kernels

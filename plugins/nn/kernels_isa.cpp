// One instruction-set level's kernels (see kernels.h). CMake compiles this
// file three times, with RXFLOW_NN_ISA set to sse2, avx2 or avx512 and the
// matching -m flags; the vector width follows from those flags.
//
// Everything here has internal linkage and the file includes nothing with
// inline code, so no function compiled for a wide level can be picked by
// the linker for a caller on a narrower CPU.
#include "nn/kernels.h"

#if defined(__AVX512F__)
#define RXFLOW_NN_VECTOR_BYTES 64
#elif defined(__AVX2__)
#define RXFLOW_NN_VECTOR_BYTES 32
#else
#define RXFLOW_NN_VECTOR_BYTES 16
#endif

namespace rxflow::nn::kernels::RXFLOW_NN_ISA {
namespace {

typedef double Vector __attribute__((vector_size(RXFLOW_NN_VECTOR_BYTES)));
constexpr Index kWidth = RXFLOW_NN_VECTOR_BYTES / sizeof(double);
// A tile of c is kRows rows by kVectors vectors, held in registers while
// the shared index runs: 16 accumulators of the 32 AVX-512 registers, 8 of
// the 16 SSE2 or AVX2 ones.
constexpr int kRows = kWidth == 8 ? 8 : 4;
constexpr int kVectors = 2;
constexpr Index kPanelWidth = kVectors * kWidth;

Vector load(const double* from) {
  Vector v;
  __builtin_memcpy(&v, from, sizeof v);
  return v;
}

void store(double* to, const Vector& v) { __builtin_memcpy(to, &v, sizeof v); }

// The columns [j0, j0 + cols) of b: k rows of whole vectors, `stride` apart.
struct Panel {
  const double* values;
  Index stride;
  Index cols;
};

// Where a tile's results go: c(r, j) of the tile is at c[r * row_stride + j * col_stride].
struct Output {
  double* c;
  Index row_stride, col_stride;
  bool accumulate;
};

struct TileTarget {
  const View* a;
  Index i0;  // first row of a and of the tile
  Panel panel;
  Output out;  // at the tile's first element
};

void write(double& to, double sum, bool accumulate) { to = accumulate ? to + sum : sum; }

template <int R, int V>
void tile(const TileTarget& t) {
  const View& a = *t.a;
  Vector sums[R][V];
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < V; ++v) sums[r][v] = Vector{};
  }
  for (Index p = 0; p < a.cols; ++p) {
    const double* b_row = t.panel.values + p * t.panel.stride;
    Vector b[V];
    for (int v = 0; v < V; ++v) b[v] = load(b_row + v * kWidth);
    for (int r = 0; r < R; ++r) {
      const double a_value = a.data[(t.i0 + r) * a.row_stride + p * a.col_stride];
      for (int v = 0; v < V; ++v) sums[r][v] = sums[r][v] + a_value * b[v];
    }
  }
  const Output& out = t.out;
  for (int r = 0; r < R; ++r) {
    double* c_row = out.c + r * out.row_stride;
    for (int v = 0; v < V; ++v) {
      const Index first = v * kWidth;
      if (out.col_stride == 1 && first + kWidth <= t.panel.cols) {
        store(c_row + first, out.accumulate ? load(c_row + first) + sums[r][v] : sums[r][v]);
        continue;
      }
      for (Index l = 0; l < kWidth && first + l < t.panel.cols; ++l) {
        write(c_row[(first + l) * out.col_stride], sums[r][v][l], out.accumulate);
      }
    }
  }
}

template <int R, int V = kVectors>
void tile_of_vectors(Index vectors, const TileTarget& t) {
  if constexpr (V > 1) {
    if (vectors < V) return tile_of_vectors<R, V - 1>(vectors, t);
  }
  tile<R, V>(t);
}

template <int R = kRows>
void tile_of_rows(Index rows, Index vectors, const TileTarget& t) {
  if constexpr (R > 1) {
    if (rows < R) return tile_of_rows<R - 1>(rows, vectors, t);
  }
  tile_of_vectors<R>(vectors, t);
}

// Copies the columns [j0, j0 + cols) of b into k rows kPanelWidth apart,
// zero-padded to whole vectors.
void pack_panel(const View& b, Index j0, Index cols, double* panel) {
  for (Index p = 0; p < b.rows; ++p) {
    const double* from = b.data + p * b.row_stride + j0 * b.col_stride;
    double* to = panel + p * kPanelWidth;
    Index j = 0;
    for (; j < cols; ++j) to[j] = from[j * b.col_stride];
    for (; j % kWidth != 0; ++j) to[j] = 0.0;
  }
}

// Up to this many rows of b are packed on the stack, more on the heap.
constexpr Index kStackPanelRows = 256;

// Whether b's rows can be read in place as whole vectors, without packing.
bool readable_in_place(const View& b) { return b.col_stride == 1 && b.cols % kWidth == 0; }

void multiply(const View& a, const View& b, const Output& out) {
  const bool in_place = readable_in_place(b);
  double stack_panel[kStackPanelRows * kPanelWidth];
  double* heap_panel = in_place || b.rows <= kStackPanelRows
                           ? nullptr
                           : new double[static_cast<std::size_t>(b.rows * kPanelWidth)];
  double* panel = heap_panel != nullptr ? heap_panel : stack_panel;
  for (Index j0 = 0; j0 < b.cols; j0 += kPanelWidth) {
    const Index cols = b.cols - j0 < kPanelWidth ? b.cols - j0 : kPanelWidth;
    if (!in_place) pack_panel(b, j0, cols, panel);
    const Panel source =
        in_place ? Panel{b.data + j0, b.row_stride, cols} : Panel{panel, kPanelWidth, cols};
    const Index vectors = (cols + kWidth - 1) / kWidth;
    for (Index i0 = 0; i0 < a.rows; i0 += kRows) {
      const Index rows = a.rows - i0 < kRows ? a.rows - i0 : kRows;
      Output tile_out = out;
      tile_out.c += i0 * out.row_stride + j0 * out.col_stride;
      tile_of_rows(rows, vectors, {&a, i0, source, tile_out});
    }
  }
  delete[] heap_panel;
}

// When b would need packing and a is the smaller side, computes c^T = b^T a^T
// instead, writing c transposed: the same products summed in the same
// order, with far less to pack (a layer's batch rather than its weight).
void gemm(const View& a, const View& b, double* c, Index ldc, bool accumulate) {
  if (a.rows == 0 || b.cols == 0) return;
  if (!readable_in_place(b) && a.rows < b.cols) {
    multiply(transposed(b), transposed(a), {c, 1, ldc, accumulate});
  } else {
    multiply(a, b, {c, ldc, 1, accumulate});
  }
}

// Compiled with -fno-math-errno so that __builtin_sqrt vectorizes; the
// square root is correctly rounded either way.
void adam(const AdamStep& step, double* p, const double* g, double* m, double* v, Index n) {
  const AdamStep s = step;
  const double keep1 = 1.0 - s.beta1, keep2 = 1.0 - s.beta2, scale = -s.step_size;
  double* __restrict param = p;
  const double* __restrict grad = g;
  double* __restrict mean = m;
  double* __restrict square = v;
  for (Index i = 0; i < n; ++i) {
    mean[i] = s.beta1 * mean[i] + keep1 * grad[i];
    square[i] = s.beta2 * square[i] + keep2 * grad[i] * grad[i];
    param[i] =
        param[i] + scale * mean[i] / (__builtin_sqrt(square[i]) / s.correction2_sqrt + s.eps);
  }
}

// The element loops. Restrict-qualified parameters let the compiler
// vectorize across elements (or across the columns of a row), never across
// the rows a column sum runs over.

void add_row(double* __restrict x, Index rows, Index cols, const double* __restrict row) {
  for (Index i = 0; i < rows; ++i, x += cols) {
    for (Index j = 0; j < cols; ++j) x[j] = x[j] + row[j];
  }
}

// sums(j) = (0 + term(x, y, j)) + ... over the rows x and y step through, in order.
template <typename Term>
void column_sums_of(const double* __restrict x, const double* __restrict y, Index rows, Index cols,
                    double* __restrict sums, Term term) {
  for (Index j = 0; j < cols; ++j) sums[j] = 0.0;
  for (Index i = 0; i < rows; ++i, x += cols, y += cols) {
    for (Index j = 0; j < cols; ++j) sums[j] = sums[j] + term(x, y, j);
  }
}

void column_sums(const double* x, Index rows, Index cols, double* sums) {
  column_sums_of(x, x, rows, cols, sums,
                 [](const double* row, const double*, Index j) { return row[j]; });
}

void column_square_sums(const double* x, const double* __restrict center, Index rows, Index cols,
                        double* sums) {
  column_sums_of(x, x, rows, cols, sums, [center](const double* row, const double*, Index j) {
    const double centered = row[j] - center[j];
    return centered * centered;
  });
}

void column_product_sums(const double* x, const double* y, Index rows, Index cols, double* sums) {
  column_sums_of(x, y, rows, cols, sums,
                 [](const double* a, const double* b, Index j) { return a[j] * b[j]; });
}

void normalize_rows(const double* __restrict x, const double* __restrict mean,
                    const double* __restrict inv_std, const double* __restrict weight,
                    const double* __restrict bias, Index rows, Index cols,
                    double* __restrict normalized, double* __restrict out) {
  for (Index i = 0; i < rows; ++i, x += cols, normalized += cols, out += cols) {
    for (Index j = 0; j < cols; ++j) {
      normalized[j] = (x[j] - mean[j]) * inv_std[j];
      out[j] = normalized[j] * weight[j] + bias[j];
    }
  }
}

void batch_norm_rows(const BatchNormRows& stats, const double* x, Index rows, Index cols,
                     double* normalized, double* out) {
  normalize_rows(x, stats.mean, stats.inv_std, stats.weight, stats.bias, rows, cols, normalized,
                 out);
}

void input_gradient_rows(const double* __restrict d, const double* __restrict weight,
                         const double* __restrict sum_d, const double* __restrict sum_d_x,
                         const double* __restrict inv_std, const double* __restrict normalized,
                         Index rows, Index cols, double* __restrict d_in) {
  const auto batch = static_cast<double>(rows);
  for (Index i = 0; i < rows; ++i, d += cols, normalized += cols, d_in += cols) {
    for (Index j = 0; j < cols; ++j) {
      d_in[j] = (batch * (d[j] * weight[j]) - sum_d[j] - normalized[j] * sum_d_x[j]) *
                (inv_std[j] / batch);
    }
  }
}

void batch_norm_input_gradient(const BatchNormGradient& terms, const double* d,
                               const double* normalized, Index rows, Index cols, double* d_in) {
  input_gradient_rows(d, terms.weight, terms.sum_d, terms.sum_d_x, terms.inv_std, normalized, rows,
                      cols, d_in);
}

void relu(const double* __restrict in, double* __restrict out, Index n) {
  for (Index i = 0; i < n; ++i) out[i] = in[i] < 0.0 ? 0.0 : in[i];
}

// d is read whatever the output, so that the loop is a compare and a mask
// at every level (SSE2 has no masked load to read it only where needed).
void relu_gradient(const double* __restrict out, const double* __restrict d,
                   double* __restrict d_in, Index n) {
  for (Index i = 0; i < n; ++i) {
    const double gradient = d[i];
    d_in[i] = out[i] > 0.0 ? gradient : 0.0;
  }
}

void dropout_mask(double* __restrict values, Index n, double keep, double scale) {
  for (Index i = 0; i < n; ++i) values[i] = values[i] < keep ? scale : 0.0;
}

void multiply_elements(const double* __restrict a, const double* __restrict b,
                       double* __restrict out, Index n) {
  for (Index i = 0; i < n; ++i) out[i] = a[i] * b[i];
}

}  // namespace

extern const Table table = {&gemm,
                            &adam,
                            &add_row,
                            &column_sums,
                            &column_square_sums,
                            &column_product_sums,
                            &batch_norm_rows,
                            &batch_norm_input_gradient,
                            &relu,
                            &relu_gradient,
                            &dropout_mask,
                            &multiply_elements};

}  // namespace rxflow::nn::kernels::RXFLOW_NN_ISA

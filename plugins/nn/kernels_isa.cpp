// One instruction-set level's kernels (see kernels.h). CMake compiles this
// file three times, with RXFLOW_NN_ISA set to sse2, avx2 or avx512 and the
// matching -m flags; the vector width follows from those flags.
//
// Everything here has internal linkage and the file includes nothing with
// inline code, so no function compiled for a wide level can be picked by
// the linker for a caller on a narrower CPU.
#include <cassert>

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

template <typename T>
struct VectorOf {
  typedef T type __attribute__((vector_size(RXFLOW_NN_VECTOR_BYTES)));
};
// A register of Ts.
template <typename T>
using Vector = typename VectorOf<T>::type;
template <typename T>
constexpr Index kWidth = RXFLOW_NN_VECTOR_BYTES / sizeof(T);
// A tile of c is held in registers while the shared index runs: at most
// kVectors vectors wide, and as many rows as fill kAccumulators registers
// (16 of the 32 AVX-512 registers, 8 of the 16 SSE2 or AVX2 ones). So a
// panel one vector wide gets twice the rows. Tiles are one vector wide
// when a vector holds 16 values (float at AVX-512): measured on the
// classifier's training, 16 x 1 tiles beat 8 x 2 ones by 10% there (though
// not on large square products).
#if defined(__AVX512F__)
constexpr int kAccumulators = 16;
#else
constexpr int kAccumulators = 8;
#endif
template <typename T>
constexpr int kVectors = kWidth<T> == 16 ? 1 : 2;
template <typename T>
constexpr Index kPanelWidth = Index{kVectors<T>} * kWidth<T>;

template <typename T>
Vector<T> load(const T* from) {
  Vector<T> v;
  __builtin_memcpy(&v, from, sizeof v);
  return v;
}

template <typename T>
void store(T* to, const Vector<T>& v) {
  __builtin_memcpy(to, &v, sizeof v);
}

// The columns [j0, j0 + cols) of b: k rows of whole vectors, `stride` apart.
template <typename T>
struct Panel {
  const T* values;
  Index stride;
  Index cols;
};

// Where a tile's results go: c(r, j) of the tile is at c[r * row_stride + j * col_stride].
template <typename T>
struct Output {
  T* c;
  Index row_stride, col_stride;
  bool accumulate;
};

template <typename T>
struct TileTarget {
  const View<T>* a;
  Index i0;  // first row of a and of the tile
  Panel<T> panel;
  Output<T> out;  // at the tile's first element
};

template <typename T>
void write(T& to, T sum, bool accumulate) {
  to = accumulate ? to + sum : sum;
}

// A tile of c written transposed (row_stride 1: the gemm's c^T route): each
// of its columns is R consecutive values. Transposed through a block on the
// stack, so that each column is written as one run instead of element by
// element from the lanes; the same sums added the same way.
template <typename T, int R, int V>
void write_columns(const Vector<T> (&sums)[R][V], const TileTarget<T>& t) {
  constexpr Index width = kWidth<T>;
  const Output<T>& out = t.out;
  for (int v = 0; v < V; ++v) {
    T block[width][R];
    for (int r = 0; r < R; ++r) {
      for (Index l = 0; l < width; ++l) block[l][r] = sums[r][v][l];
    }
    for (Index l = 0; l < width && v * width + l < t.panel.cols; ++l) {
      T* column = out.c + (v * width + l) * out.col_stride;
      if (out.accumulate) {
        for (int r = 0; r < R; ++r) column[r] = column[r] + block[l][r];
      } else {
        for (int r = 0; r < R; ++r) column[r] = block[l][r];
      }
    }
  }
}

template <typename T, int R, int V>
void tile(const TileTarget<T>& t) {
  constexpr Index width = kWidth<T>;
  const View<T>& a = *t.a;
  Vector<T> sums[R][V];
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < V; ++v) sums[r][v] = Vector<T>{};
  }
  for (Index p = 0; p < a.cols; ++p) {
    const T* b_row = t.panel.values + p * t.panel.stride;
    Vector<T> b[V];
    for (int v = 0; v < V; ++v) b[v] = load(b_row + v * width);
    for (int r = 0; r < R; ++r) {
      const T a_value = a.data[(t.i0 + r) * a.row_stride + p * a.col_stride];
      for (int v = 0; v < V; ++v) sums[r][v] = sums[r][v] + a_value * b[v];
    }
  }
  const Output<T>& out = t.out;
  if (out.row_stride == 1 && out.col_stride != 1) return write_columns<T, R, V>(sums, t);
  for (int r = 0; r < R; ++r) {
    T* c_row = out.c + r * out.row_stride;
    for (int v = 0; v < V; ++v) {
      const Index first = v * width;
      if (out.col_stride == 1 && first + width <= t.panel.cols) {
        store(c_row + first, out.accumulate ? load(c_row + first) + sums[r][v] : sums[r][v]);
        continue;
      }
      for (Index l = 0; l < width && first + l < t.panel.cols; ++l) {
        write(c_row[(first + l) * out.col_stride], sums[r][v][l], out.accumulate);
      }
    }
  }
}

// Rows of a tile of V vectors.
template <int V>
constexpr int kTileRows = kAccumulators / V;

template <typename T, int V, int R = kTileRows<V>>
void tile_of_rows(Index rows, const TileTarget<T>& t) {
  if constexpr (R > 1) {
    if (rows < R) return tile_of_rows<T, V, R - 1>(rows, t);
  }
  tile<T, R, V>(t);
}

// A tile of `vectors` vectors (at most kVectors) and `rows` rows (at most
// kTileRows of that).
template <typename T, int V = (kVectors<T>)>
void tile_of_vectors(Index rows, Index vectors, const TileTarget<T>& t) {
  if constexpr (V > 1) {
    if (vectors < V) return tile_of_vectors<T, V - 1>(rows, vectors, t);
  }
  tile_of_rows<T, V>(rows, t);
}

// Copies the columns [j0, j0 + cols) of b into k rows kPanelWidth apart,
// zero-padded to whole vectors.
template <typename T>
void pack_panel(const View<T>& b, Index j0, Index cols, T* panel) {
  for (Index p = 0; p < b.rows; ++p) {
    const T* from = b.data + p * b.row_stride + j0 * b.col_stride;
    T* to = panel + p * kPanelWidth<T>;
    Index j = 0;
    for (; j < cols; ++j) to[j] = from[j * b.col_stride];
    for (; j % kWidth<T> != 0; ++j) to[j] = T{0};
  }
}

// Up to this many rows of b are packed on the stack, more on the heap.
constexpr Index kStackPanelRows = 256;

// Whether b's rows can be read in place as whole vectors, without packing.
template <typename T>
bool readable_in_place(const View<T>& b) {
  return b.col_stride == 1 && b.cols % kWidth<T> == 0;
}

template <typename T>
void multiply(const View<T>& a, const View<T>& b, const Output<T>& out) {
  constexpr Index width = kWidth<T>, panel_width = kPanelWidth<T>;
  const bool in_place = readable_in_place(b);
  T stack_panel[kStackPanelRows * panel_width];
  T* heap_panel = in_place || b.rows <= kStackPanelRows
                      ? nullptr
                      : new T[static_cast<std::size_t>(b.rows * panel_width)];
  T* panel = heap_panel != nullptr ? heap_panel : stack_panel;
  for (Index j0 = 0; j0 < b.cols; j0 += panel_width) {
    const Index cols = b.cols - j0 < panel_width ? b.cols - j0 : panel_width;
    if (!in_place) pack_panel(b, j0, cols, panel);
    const Panel<T> source =
        in_place ? Panel<T>{b.data + j0, b.row_stride, cols} : Panel<T>{panel, panel_width, cols};
    const Index vectors = (cols + width - 1) / width;
    const Index tile_rows = vectors < (kVectors<T>) ? kTileRows<1> : kTileRows<(kVectors<T>)>;
    for (Index i0 = 0; i0 < a.rows; i0 += tile_rows) {
      const Index rows = a.rows - i0 < tile_rows ? a.rows - i0 : tile_rows;
      Output<T> tile_out = out;
      tile_out.c += i0 * out.row_stride + j0 * out.col_stride;
      tile_of_vectors<T>(rows, vectors, {&a, i0, source, tile_out});
    }
  }
  delete[] heap_panel;
}

// When b would need packing and a is the smaller side, computes c^T = b^T a^T
// instead, writing c transposed: the same products summed in the same
// order, with far less to pack (a layer's batch rather than its weight).
template <typename T>
void gemm(const View<T>& a, const View<T>& b, T* c, Index ldc, bool accumulate) {
  assert(a.cols == b.rows);
  if (a.rows == 0 || b.cols == 0) return;
  if (!readable_in_place(b) && a.rows < b.cols) {
    multiply(transposed(b), transposed(a), {c, 1, ldc, accumulate});
  } else {
    multiply(a, b, {c, ldc, 1, accumulate});
  }
}

// Compiled with -fno-math-errno so that the square roots vectorize; they are
// correctly rounded either way.
float square_root(float x) { return __builtin_sqrtf(x); }
double square_root(double x) { return __builtin_sqrt(x); }

template <typename T>
void adam(const AdamStep<T>& step, T* p, const T* g, T* m, T* v, Index n) {
  const AdamStep<T> s = step;
  const T scale = -s.step_size;
  T* __restrict param = p;
  const T* __restrict grad = g;
  T* __restrict mean = m;
  T* __restrict square = v;
  for (Index i = 0; i < n; ++i) {
    mean[i] = s.beta1 * mean[i] + s.one_minus_beta1 * grad[i];
    square[i] = s.beta2 * square[i] + s.one_minus_beta2 * grad[i] * grad[i];
    param[i] = param[i] + scale * mean[i] / (square_root(square[i]) / s.correction2_sqrt + s.eps);
  }
}

// The element loops. Restrict-qualified parameters let the compiler
// vectorize across elements (or across the columns of a row), never across
// the rows a column sum runs over.

template <typename T>
void add_row(T* __restrict x, Index rows, Index cols, const T* __restrict row) {
  for (Index i = 0; i < rows; ++i, x += cols) {
    for (Index j = 0; j < cols; ++j) x[j] = x[j] + row[j];
  }
}

// sums(j) = (0 + term(x, y, j)) + ... over the rows x and y step through, in order.
template <typename T, typename Term>
void column_sums_of(const T* __restrict x, const T* __restrict y, Index rows, Index cols,
                    T* __restrict sums, Term term) {
  for (Index j = 0; j < cols; ++j) sums[j] = T{0};
  for (Index i = 0; i < rows; ++i, x += cols, y += cols) {
    for (Index j = 0; j < cols; ++j) sums[j] = sums[j] + term(x, y, j);
  }
}

template <typename T>
void column_sums(const T* x, Index rows, Index cols, T* sums) {
  column_sums_of(x, x, rows, cols, sums, [](const T* row, const T*, Index j) { return row[j]; });
}

template <typename T>
void column_square_sums(const T* x, const T* __restrict center, Index rows, Index cols, T* sums) {
  column_sums_of(x, x, rows, cols, sums, [center](const T* row, const T*, Index j) {
    const T centered = row[j] - center[j];
    return centered * centered;
  });
}

template <typename T>
void column_product_sums(const T* x, const T* y, Index rows, Index cols, T* sums) {
  column_sums_of(x, y, rows, cols, sums,
                 [](const T* a, const T* b, Index j) { return a[j] * b[j]; });
}

template <typename T>
void normalize_rows(const T* __restrict x, const T* __restrict mean, const T* __restrict inv_std,
                    const T* __restrict weight, const T* __restrict bias, Index rows, Index cols,
                    T* __restrict normalized, T* __restrict out) {
  for (Index i = 0; i < rows; ++i, x += cols, normalized += cols, out += cols) {
    for (Index j = 0; j < cols; ++j) {
      normalized[j] = (x[j] - mean[j]) * inv_std[j];
      out[j] = normalized[j] * weight[j] + bias[j];
    }
  }
}

template <typename T>
void batch_norm_rows(const BatchNormRows<T>& stats, const T* x, Index rows, Index cols,
                     T* normalized, T* out) {
  normalize_rows(x, stats.mean, stats.inv_std, stats.weight, stats.bias, rows, cols, normalized,
                 out);
}

template <typename T>
void input_gradient_rows(const T* __restrict d, const T* __restrict weight,
                         const T* __restrict sum_d, const T* __restrict sum_d_x,
                         const T* __restrict inv_std, const T* __restrict normalized, Index rows,
                         Index cols, T* __restrict d_in) {
  const auto batch = static_cast<T>(rows);
  for (Index i = 0; i < rows; ++i, d += cols, normalized += cols, d_in += cols) {
    for (Index j = 0; j < cols; ++j) {
      d_in[j] = (batch * (d[j] * weight[j]) - sum_d[j] - normalized[j] * sum_d_x[j]) *
                (inv_std[j] / batch);
    }
  }
}

template <typename T>
void batch_norm_input_gradient(const BatchNormGradient<T>& terms, const T* d, const T* normalized,
                               Index rows, Index cols, T* d_in) {
  input_gradient_rows(d, terms.weight, terms.sum_d, terms.sum_d_x, terms.inv_std, normalized, rows,
                      cols, d_in);
}

template <typename T>
void relu(const T* __restrict in, T* __restrict out, Index n) {
  for (Index i = 0; i < n; ++i) out[i] = in[i] < T{0} ? T{0} : in[i];
}

// d is read whatever the output, so that the loop is a compare and a mask
// at every level (SSE2 has no masked load to read it only where needed).
template <typename T>
void relu_gradient(const T* __restrict out, const T* __restrict d, T* __restrict d_in, Index n) {
  for (Index i = 0; i < n; ++i) {
    const T gradient = d[i];
    d_in[i] = out[i] > T{0} ? gradient : T{0};
  }
}

template <typename T>
void dropout_mask(const double* __restrict uniforms, Index n, double keep, T scale,
                  T* __restrict mask) {
  for (Index i = 0; i < n; ++i) mask[i] = uniforms[i] < keep ? scale : T{0};
}

template <typename T>
void multiply_elements(const T* __restrict a, const T* __restrict b, T* __restrict out, Index n) {
  for (Index i = 0; i < n; ++i) out[i] = a[i] * b[i];
}

// Both sides are computed for every element, so that the choice is a blend
// (no conditional multiply to keep the compiler from vectorizing).
template <typename T>
void leaky_relu(const T* __restrict in, T slope, T* __restrict out, Index n) {
  for (Index i = 0; i < n; ++i) {
    const T scaled = in[i] * slope;
    out[i] = in[i] > T{0} ? in[i] : scaled;
  }
}

template <typename T>
void leaky_relu_gradient(const T* __restrict in, const T* __restrict d, T slope, T* __restrict d_in,
                         Index n) {
  for (Index i = 0; i < n; ++i) {
    const T scaled = d[i] * slope;
    d_in[i] = in[i] > T{0} ? d[i] : scaled;
  }
}

template <typename T>
constexpr Table<T> table_of() {
  return {&gemm<T>,
          &adam<T>,
          &add_row<T>,
          &column_sums<T>,
          &column_square_sums<T>,
          &column_product_sums<T>,
          &batch_norm_rows<T>,
          &batch_norm_input_gradient<T>,
          &relu<T>,
          &relu_gradient<T>,
          &dropout_mask<T>,
          &multiply_elements<T>,
          &leaky_relu<T>,
          &leaky_relu_gradient<T>};
}

}  // namespace

extern const Tables tables = {table_of<float>(), table_of<double>()};

}  // namespace rxflow::nn::kernels::RXFLOW_NN_ISA

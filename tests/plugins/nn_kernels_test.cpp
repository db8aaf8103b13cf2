// Every kernel at every instruction-set level this CPU supports, against
// plain loops in the order nn/kernels.h documents, for float and double:
// equal bit for bit, which is what lets a run replay on any x86-64 machine.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "kernel_levels.h"
#include "nn/kernels.h"
#include "rxflow/rng.h"

namespace rxflow::nn::kernels {
namespace {

using testing::same_bits;

template <typename T>
T element(const View<T>& v, std::ptrdiff_t r, std::ptrdiff_t c) {
  return v.data[r * v.row_stride + c * v.col_stride];
}

// The documented order, one element at a time.
template <typename T>
void reference_gemm(const View<T>& a, const View<T>& b, T* c, std::ptrdiff_t ldc, bool accumulate) {
  for (std::ptrdiff_t i = 0; i < a.rows; ++i) {
    for (std::ptrdiff_t j = 0; j < b.cols; ++j) {
      T sum{0};
      for (std::ptrdiff_t p = 0; p < a.cols; ++p) sum += element(a, i, p) * element(b, p, j);
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
    }
  }
}

template <typename T>
std::vector<T> random_values(std::size_t n, Rng& rng) {
  std::vector<T> values(n);
  for (T& v : values) v = static_cast<T>(rng.uniform(-1.0, 1.0));
  return values;
}

// rows x cols stored row-major, or stored as its transpose.
template <typename T>
View<T> matrix_view(const std::vector<T>& data, std::ptrdiff_t rows, std::ptrdiff_t cols,
                    bool stored_transposed) {
  return stored_transposed ? View<T>{data.data(), rows, cols, 1, rows}
                           : View<T>{data.data(), rows, cols, cols, 1};
}

struct Shape {
  std::ptrdiff_t m, n, k;
};

TEMPLATE_TEST_CASE("gemm sums in the documented order at every level, whatever the layout",
                   "[kernels]", float, double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  // The classifier's and decoder's shapes, odd sizes for every remainder
  // path, and a shared dimension above the stack panel's 256 rows.
  const std::vector<Shape> shapes = {{1, 1, 1},     {3, 5, 7},     {16, 128, 39},
                                     {128, 39, 16}, {16, 32, 128}, {40, 1, 32},
                                     {17, 33, 9},   {9, 70, 300},  {1, 8192, 100}};
  Rng rng(11);
  for (const Shape& s : shapes) {
    const std::vector<T> a = random_values<T>(s.m * s.k, rng), b = random_values<T>(s.k * s.n, rng);
    const std::ptrdiff_t ldc = s.n + 3;  // the 3 columns past c's must stay untouched
    const std::vector<T> c0 = random_values<T>(s.m * ldc, rng);
    for (bool a_transposed : {false, true}) {
      for (bool b_transposed : {false, true}) {
        const View<T> av = matrix_view(a, s.m, s.k, a_transposed);
        const View<T> bv = matrix_view(b, s.k, s.n, b_transposed);
        for (bool accumulate : {false, true}) {
          std::vector<T> expected = c0;
          reference_gemm(av, bv, expected.data(), ldc, accumulate);
          for (Level level : testing::supported_kernel_levels()) {
            INFO(level_name(level)
                 << " " << s.m << "x" << s.n << "x" << s.k << " a^T " << a_transposed << " b^T "
                 << b_transposed << " accumulate " << accumulate);
            use_level(level);
            std::vector<T> c = c0;
            active<T>().gemm(av, bv, c.data(), ldc, accumulate);
            CHECK(same_bits(c.data(), expected.data(), c.size()));
          }
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("adam follows PyTorch's order of operations at every level", "[kernels]", float,
                   double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  const auto t = [](double value) { return static_cast<T>(value); };
  const AdamStep<T> step{t(0.9),
                         t(0.999),
                         t(1.0 - 0.9),
                         t(1.0 - 0.999),
                         t(1e-3 / (1.0 - 0.9 * 0.9)),
                         t(std::sqrt(1.0 - 0.999 * 0.999)),
                         t(1e-8)};
  Rng rng(12);
  for (std::size_t n : {1, 7, 8, 9, 33, 9537}) {
    const std::vector<T> p0 = random_values<T>(n, rng), g = random_values<T>(n, rng),
                         m0 = random_values<T>(n, rng);
    std::vector<T> v0 = random_values<T>(n, rng);
    for (T& v : v0) v = v * v;
    std::vector<T> p = p0, m = m0, v = v0;
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = step.beta1 * m[i] + step.one_minus_beta1 * g[i];
      v[i] = step.beta2 * v[i] + step.one_minus_beta2 * g[i] * g[i];
      p[i] = p[i] + (-step.step_size) * m[i] / (std::sqrt(v[i]) / step.correction2_sqrt + step.eps);
    }
    for (Level level : testing::supported_kernel_levels()) {
      INFO(level_name(level) << " n " << n);
      use_level(level);
      std::vector<T> kp = p0, km = m0, kv = v0;
      active<T>().adam(step, kp.data(), g.data(), km.data(), kv.data(),
                       static_cast<std::ptrdiff_t>(n));
      CHECK(same_bits(km.data(), m.data(), n));
      CHECK(same_bits(kv.data(), v.data(), n));
      CHECK(same_bits(kp.data(), p.data(), n));
    }
  }
}

// The element kernels' sizes: a row of the classifier's batch, odd widths
// for every vector remainder, and one wider than the AVX-512 loop's unroll.
struct Block {
  Index rows, cols;
};
const std::vector<Block> kBlocks = {{1, 1}, {2, 7}, {16, 128}, {16, 39}, {3, 33}, {5, 131}};

// Runs kernel(level's outputs) at every level and compares with expected.
template <typename T, typename Kernel>
void check_every_level(const std::vector<T>& expected, const std::vector<T>& start, Kernel kernel) {
  for (Level level : testing::supported_kernel_levels()) {
    INFO(level_name(level));
    use_level(level);
    std::vector<T> out = start;
    kernel(out.data());
    CHECK(same_bits(out.data(), expected.data(), out.size()));
  }
}

TEMPLATE_TEST_CASE("element kernels follow their formulas at every level", "[kernels]", float,
                   double) {
  using T = TestType;
  testing::KernelLevelGuard guard;
  Rng rng(13);
  for (const Block& s : kBlocks) {
    INFO(s.rows << "x" << s.cols);
    const auto n = static_cast<std::size_t>(s.rows * s.cols),
               cols = static_cast<std::size_t>(s.cols);
    std::vector<T> x = random_values<T>(n, rng), y = random_values<T>(n, rng);
    x[0] = T{-0.0};  // relu keeps std::max's sign of zero, the gradient drops it
    const std::vector<T> row = random_values<T>(cols, rng), row2 = random_values<T>(cols, rng),
                         row3 = random_values<T>(cols, rng), row4 = random_values<T>(cols, rng);
    std::vector<T> expected(n), expected2(n), sums(cols, T{0});

    for (std::size_t i = 0; i < n; ++i) expected[i] = x[i] + row[i % cols];
    check_every_level(expected, x,
                      [&](T* out) { active<T>().add_row(out, s.rows, s.cols, row.data()); });

    const std::vector<T> garbage = random_values<T>(cols, rng);  // sums start from 0, not from it
    for (std::size_t i = 0; i < n; ++i) sums[i % cols] += x[i];
    check_every_level(sums, garbage,
                      [&](T* out) { active<T>().column_sums(x.data(), s.rows, s.cols, out); });
    std::fill(sums.begin(), sums.end(), T{0});
    for (std::size_t i = 0; i < n; ++i)
      sums[i % cols] += (x[i] - row[i % cols]) * (x[i] - row[i % cols]);
    check_every_level(sums, garbage, [&](T* out) {
      active<T>().column_square_sums(x.data(), row.data(), s.rows, s.cols, out);
    });
    std::fill(sums.begin(), sums.end(), T{0});
    for (std::size_t i = 0; i < n; ++i) sums[i % cols] += x[i] * y[i];
    check_every_level(sums, garbage, [&](T* out) {
      active<T>().column_product_sums(x.data(), y.data(), s.rows, s.cols, out);
    });

    // BatchNorm: mean, inv_std, weight, bias = row .. row4.
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = i % cols;
      expected[i] = (x[i] - row[j]) * row2[j];
      expected2[i] = expected[i] * row3[j] + row4[j];
    }
    std::vector<T> normalized(n);
    check_every_level(expected2, y, [&](T* out) {
      active<T>().batch_norm_rows({row.data(), row2.data(), row3.data(), row4.data()}, x.data(),
                                  s.rows, s.cols, normalized.data(), out);
      CHECK(same_bits(normalized.data(), expected.data(), n));
    });
    // Its input gradient: weight, sum_d, sum_d_x, inv_std = row .. row4; d = x, normalized = y.
    const auto batch = static_cast<T>(s.rows);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = i % cols;
      expected[i] = (batch * (x[i] * row[j]) - row2[j] - y[i] * row3[j]) * (row4[j] / batch);
    }
    check_every_level(expected, x, [&](T* out) {
      active<T>().batch_norm_input_gradient({row.data(), row2.data(), row3.data(), row4.data()},
                                            x.data(), y.data(), s.rows, s.cols, out);
    });

    for (std::size_t i = 0; i < n; ++i) expected[i] = std::max(x[i], T{0});
    check_every_level(expected, y,
                      [&](T* out) { active<T>().relu(x.data(), out, s.rows * s.cols); });
    for (std::size_t i = 0; i < n; ++i) expected[i] = x[i] > T{0} ? y[i] : T{0};
    check_every_level(expected, y, [&](T* out) {
      active<T>().relu_gradient(x.data(), y.data(), out, s.rows * s.cols);
    });
    std::vector<double> uniforms = random_values<double>(n, rng);
    for (double& u : uniforms) u = (u + 1.0) / 2.0;
    uniforms[0] = 0.8;  // exactly keep: dropped, as bernoulli(keep) is uniform() < keep
    for (std::size_t i = 0; i < n; ++i) expected[i] = uniforms[i] < 0.8 ? T{1.25} : T{0};
    check_every_level(expected, y, [&](T* out) {
      active<T>().dropout_mask(uniforms.data(), s.rows * s.cols, 0.8, T{1.25}, out);
    });
    for (std::size_t i = 0; i < n; ++i) expected[i] = x[i] * y[i];
    check_every_level(expected, y, [&](T* out) {
      active<T>().multiply_elements(x.data(), y.data(), out, s.rows * s.cols);
    });
  }
}

TEST_CASE("the widest level the CPU supports is the default", "[kernels]") {
  const std::vector<Level> levels = testing::supported_kernel_levels();
  REQUIRE(!levels.empty());
  CHECK(levels.front() == Level::kSse2);  // every x86-64 CPU has SSE2
  testing::KernelLevelGuard guard;
  CHECK(active_level() == levels.back());
}

}  // namespace
}  // namespace rxflow::nn::kernels

#include "nn/kernels.h"

#include <cassert>
#include <type_traits>

namespace rxflow::nn::kernels {

namespace sse2 {
extern const Tables tables;
}
namespace avx2 {
extern const Tables tables;
}
namespace avx512 {
extern const Tables tables;
}

namespace {

const Tables& tables_of(Level level) {
  switch (level) {
    case Level::kAvx512:
      return avx512::tables;
    case Level::kAvx2:
      return avx2::tables;
    case Level::kSse2:
      break;
  }
  return sse2::tables;
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

template <typename T>
const Table<T>& active() {
  const Tables& tables = tables_of(current_level());
  if constexpr (std::is_same_v<T, float>) {
    return tables.float32;
  } else {
    return tables.float64;
  }
}

template <typename T>
View<T> transposed(const View<T>& v) {
  return {v.data, v.cols, v.rows, v.col_stride, v.row_stride};
}

template const Table<float>& active();
template const Table<double>& active();
template View<float> transposed(const View<float>&);
template View<double> transposed(const View<double>&);

}  // namespace rxflow::nn::kernels

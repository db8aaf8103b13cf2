// The array types of the layer library: row-major float64 Eigen matrices.
// A batch is a Matrix of shape (B, features); an image batch (B, C, H, W) is
// a Matrix of shape (B, C * H * W), channel-major as in PyTorch. Parameters
// are Matrices too (a bias is 1 x n), so every tensor has one type.
// Products go through kernels::gemm, whose results do not depend on the CPU.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "nn/kernels.h"

namespace rxflow::nn {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A Matrix (or a row-major block of rows x cols values) as a kernel operand;
// kernels::transposed gives its transpose.
inline kernels::View view(const double* data, Eigen::Index rows, Eigen::Index cols) {
  return {data, rows, cols, cols, 1};
}
inline kernels::View view(const Matrix& m) { return view(m.data(), m.rows(), m.cols()); }

// out = a b (resized), or out += a b when accumulate. REQUIRES: out is not
// an operand; when accumulating, out has the product's shape.
inline void multiply(const kernels::View& a, const kernels::View& b, Matrix& out,
                     bool accumulate = false) {
  if (!accumulate) out.resize(a.rows, b.cols);
  kernels::gemm(a, b, out.data(), out.cols(), accumulate);
}

// A trainable tensor and its gradient, named as in PyTorch's state_dict.
struct ParameterRef {
  std::string name;
  Matrix* value;
  Matrix* grad;
};

// A tensor of the state_dict that is not trained (BatchNorm's running
// statistics).
struct BufferRef {
  std::string name;
  Matrix* value;
};

// Shape of a state_dict tensor in PyTorch's layout, e.g. {128, 39}.
using TensorShape = std::vector<std::uint64_t>;

}  // namespace rxflow::nn

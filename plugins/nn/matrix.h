// The array types of the layer library: row-major Eigen matrices of T, float
// or double (the compute type; every layer is a template on it). A batch is
// a Matrix of shape (B, features); an image batch (B, C, H, W) is a Matrix
// of shape (B, C * H * W), channel-major as in PyTorch. Parameters are
// Matrices too (a bias is 1 x n), so every tensor has one type.
// Products go through the kernels, whose results do not depend on the CPU.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "nn/kernels.h"

namespace rxflow::nn {

template <typename T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// The compute type's name as users write it: "float32" or "float64".
template <typename T>
constexpr const char* type_name() {
  return std::is_same_v<T, float> ? "float32" : "float64";
}

// A Matrix (or a row-major block of rows x cols values) as a kernel operand;
// kernels::transposed gives its transpose.
template <typename T>
kernels::View<T> view(const T* data, Eigen::Index rows, Eigen::Index cols) {
  return {data, rows, cols, cols, 1};
}
template <typename T>
kernels::View<T> view(const Matrix<T>& m) {
  return view(m.data(), m.rows(), m.cols());
}

// out = a b (resized), or out += a b when accumulate. REQUIRES: out is not
// an operand; when accumulating, out has the product's shape.
template <typename T>
void multiply(const kernels::View<T>& a, const kernels::View<T>& b, Matrix<T>& out,
              bool accumulate = false) {
  if (!accumulate) out.resize(a.rows, b.cols);
  kernels::active<T>().gemm(a, b, out.data(), out.cols(), accumulate);
}

// A trainable tensor and its gradient, named as in PyTorch's state_dict.
template <typename T>
struct ParameterRef {
  std::string name;
  Matrix<T>* value;
  Matrix<T>* grad;
};

// Gradients are allocated (zero) by the first backward or zero_grad, as
// PyTorch's start as None: a layer used only forward (an untrained decoder
// of a million weights) never allocates or clears them.
template <typename T>
void allocate_gradients(const Matrix<T>& weight, const Matrix<T>& bias, Matrix<T>& grad_weight,
                        Matrix<T>& grad_bias) {
  if (grad_weight.size() == 0) grad_weight = Matrix<T>::Zero(weight.rows(), weight.cols());
  if (grad_bias.size() == 0) grad_bias = Matrix<T>::Zero(bias.rows(), bias.cols());
}

// A tensor of the state_dict that is not trained (BatchNorm's running
// statistics).
template <typename T>
struct BufferRef {
  std::string name;
  Matrix<T>* value;
};

// Shape of a state_dict tensor in PyTorch's layout, e.g. {128, 39}.
using TensorShape = std::vector<std::uint64_t>;

}  // namespace rxflow::nn

// The array types of the layer library: row-major float64 Eigen matrices.
// A batch is a Matrix of shape (B, features); an image batch (B, C, H, W) is
// a Matrix of shape (B, C * H * W), channel-major as in PyTorch. Parameters
// are Matrices too (a bias is 1 x n), so every tensor has one type.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace rxflow::nn {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

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

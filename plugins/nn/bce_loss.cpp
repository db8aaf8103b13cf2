#include "nn/bce_loss.h"

#include <algorithm>
#include <cmath>

namespace rxflow::nn {
namespace {

// PyTorch declares this epsilon as a float: 1e-12f, not 1e-12.
constexpr float kEpsilon = 1e-12f;

}  // namespace

template <typename T>
T bce_loss(const Matrix<T>& probabilities, const Matrix<T>& targets) {
  const T one{1}, floor{-100};
  T total{0};
  for (Eigen::Index i = 0; i < probabilities.size(); ++i) {
    const T p = probabilities.data()[i], y = targets.data()[i];
    const T log_p = std::max(std::log(p), floor);
    const T log_q = std::max(std::log(one - p), floor);
    total += -(y * log_p + (one - y) * log_q);
  }
  return total / static_cast<T>(probabilities.size());
}

template <typename T>
Matrix<T> bce_loss_gradient(const Matrix<T>& probabilities, const Matrix<T>& targets) {
  const T n = static_cast<T>(probabilities.size()), one{1}, epsilon{kEpsilon};
  Matrix<T> gradient(probabilities.rows(), probabilities.cols());
  for (Eigen::Index i = 0; i < probabilities.size(); ++i) {
    const T p = probabilities.data()[i], y = targets.data()[i];
    gradient.data()[i] = (p - y) / std::max((one - p) * p, epsilon) / n;
  }
  return gradient;
}

template float bce_loss(const Matrix<float>&, const Matrix<float>&);
template double bce_loss(const Matrix<double>&, const Matrix<double>&);
template Matrix<float> bce_loss_gradient(const Matrix<float>&, const Matrix<float>&);
template Matrix<double> bce_loss_gradient(const Matrix<double>&, const Matrix<double>&);

}  // namespace rxflow::nn

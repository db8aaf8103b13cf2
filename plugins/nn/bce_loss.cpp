#include "nn/bce_loss.h"

#include <algorithm>
#include <cmath>

namespace rxflow::nn {
namespace {

// PyTorch declares this epsilon as a float: 1e-12f, not 1e-12.
constexpr double kEpsilon = static_cast<double>(1e-12f);

}  // namespace

double bce_loss(const Matrix& probabilities, const Matrix& targets) {
  double total = 0.0;
  for (Eigen::Index i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities.data()[i], y = targets.data()[i];
    const double log_p = std::max(std::log(p), -100.0);
    const double log_q = std::max(std::log(1.0 - p), -100.0);
    total += -(y * log_p + (1.0 - y) * log_q);
  }
  return total / static_cast<double>(probabilities.size());
}

Matrix bce_loss_gradient(const Matrix& probabilities, const Matrix& targets) {
  const double n = static_cast<double>(probabilities.size());
  Matrix gradient(probabilities.rows(), probabilities.cols());
  for (Eigen::Index i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities.data()[i], y = targets.data()[i];
    gradient.data()[i] = (p - y) / std::max((1.0 - p) * p, kEpsilon) / n;
  }
  return gradient;
}

}  // namespace rxflow::nn

// Binary cross-entropy (PyTorch nn.BCELoss, mean reduction) on
// probabilities: loss = -mean(y log p + (1 - y) log(1 - p)), each log
// clamped at -100. Gradient as PyTorch's: (p - y) / max(p (1 - p), 1e-12f) / N
// (PyTorch's epsilon is the float nearest 1e-12). In T, float or double.
// probabilities and targets (B, 1).
#pragma once

#include "nn/matrix.h"

namespace rxflow::nn {

template <typename T>
T bce_loss(const Matrix<T>& probabilities, const Matrix<T>& targets);
template <typename T>
Matrix<T> bce_loss_gradient(const Matrix<T>& probabilities, const Matrix<T>& targets);

}  // namespace rxflow::nn

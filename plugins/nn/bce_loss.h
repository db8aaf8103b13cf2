// Binary cross-entropy (PyTorch nn.BCELoss, mean reduction) on
// probabilities: loss = -mean(y log p + (1 - y) log(1 - p)), each log
// clamped at -100. Gradient as PyTorch's: (p - y) / max(p (1 - p), 1e-12f) / N
// (PyTorch's epsilon is the float nearest 1e-12).
// probabilities and targets (B, 1).
#pragma once

#include "nn/matrix.h"

namespace rxflow::nn {

double bce_loss(const Matrix& probabilities, const Matrix& targets);
Matrix bce_loss_gradient(const Matrix& probabilities, const Matrix& targets);

}  // namespace rxflow::nn

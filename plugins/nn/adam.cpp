#include "nn/adam.h"

#include <cmath>

namespace rxflow::nn {

Adam::Adam(std::vector<ParameterRef> parameters, AdamOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const ParameterRef& parameter : parameters_) {
    m_.push_back(Matrix::Zero(parameter.value->rows(), parameter.value->cols()));
    v_.push_back(Matrix::Zero(parameter.value->rows(), parameter.value->cols()));
  }
}

void Adam::step() {
  ++step_;
  const double correction1 = 1.0 - std::pow(options_.beta1, step_);
  const double correction2_sqrt = std::sqrt(1.0 - std::pow(options_.beta2, step_));
  const double step_size = options_.lr / correction1;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const auto g = parameters_[i].grad->array();
    m_[i] = options_.beta1 * m_[i].array() + (1.0 - options_.beta1) * g;
    v_[i] = options_.beta2 * v_[i].array() + (1.0 - options_.beta2) * g * g;
    const auto denominator = v_[i].array().sqrt() / correction2_sqrt + options_.eps;
    *parameters_[i].value -= (step_size * (m_[i].array() / denominator)).matrix();
  }
}

void Adam::zero_grad() {
  for (const ParameterRef& parameter : parameters_) parameter.grad->setZero();
}

}  // namespace rxflow::nn

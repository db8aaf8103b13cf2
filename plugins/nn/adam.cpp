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
  const kernels::AdamStep step{options_.beta1, options_.beta2, step_size, correction2_sqrt,
                               options_.eps};
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    kernels::adam(step, parameters_[i].value->data(), parameters_[i].grad->data(), m_[i].data(),
                  v_[i].data(), parameters_[i].value->size());
  }
}

void Adam::zero_grad() {
  for (const ParameterRef& parameter : parameters_) parameter.grad->setZero();
}

}  // namespace rxflow::nn

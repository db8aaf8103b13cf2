#include "nn/adam.h"

#include <cmath>

namespace rxflow::nn {

template <typename T>
Adam<T>::Adam(std::vector<ParameterRef<T>> parameters, AdamOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const ParameterRef<T>& parameter : parameters_) {
    m_.push_back(Matrix<T>::Zero(parameter.value->rows(), parameter.value->cols()));
    v_.push_back(Matrix<T>::Zero(parameter.value->rows(), parameter.value->cols()));
  }
}

template <typename T>
void Adam<T>::step() {
  ++step_;
  const double correction1 = 1.0 - std::pow(options_.beta1, step_);
  const double correction2_sqrt = std::sqrt(1.0 - std::pow(options_.beta2, step_));
  const double step_size = options_.lr / correction1;
  const auto t = [](double value) { return static_cast<T>(value); };
  const kernels::AdamStep<T> step{
      t(options_.beta1), t(options_.beta2),   t(1.0 - options_.beta1), t(1.0 - options_.beta2),
      t(step_size),      t(correction2_sqrt), t(options_.eps)};
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    // No gradient yet (no backward reached it): skipped, as PyTorch skips
    // a parameter whose grad is None.
    if (parameters_[i].grad->size() != parameters_[i].value->size()) continue;
    kernels::active<T>().adam(step, parameters_[i].value->data(), parameters_[i].grad->data(),
                              m_[i].data(), v_[i].data(), parameters_[i].value->size());
  }
}

template <typename T>
void Adam<T>::zero_grad() {
  for (const ParameterRef<T>& parameter : parameters_) parameter.grad->setZero();
}

template class Adam<float>;
template class Adam<double>;

}  // namespace rxflow::nn

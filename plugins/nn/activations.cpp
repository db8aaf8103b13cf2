#include "nn/activations.h"

namespace rxflow::nn {

const Matrix& ReLU::forward(const Matrix& in) {
  output_ = in.cwiseMax(0.0);
  return output_;
}

const Matrix& ReLU::backward(const Matrix& d_out) {
  d_input_ = (output_.array() > 0.0).select(d_out, 0.0);
  return d_input_;
}

const Matrix& Sigmoid::forward(const Matrix& in) {
  output_ = (1.0 + (-in.array()).exp()).inverse();
  return output_;
}

const Matrix& Sigmoid::backward(const Matrix& d_out) {
  d_input_ = d_out.array() * output_.array() * (1.0 - output_.array());
  return d_input_;
}

const Matrix& Tanh::forward(const Matrix& in) {
  output_ = in.array().tanh();
  return output_;
}

const Matrix& Tanh::backward(const Matrix& d_out) {
  d_input_ = d_out.array() * (1.0 - output_.array().square());
  return d_input_;
}

}  // namespace rxflow::nn

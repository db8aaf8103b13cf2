#include "ffnn.h"

namespace rxflow::ffnn {

template <typename T>
FfnnClassifier<T>::FfnnClassifier(const FfnnShape& shape)
    : shape_(shape),
      fc1_(shape.inputs, shape.hidden1),
      norm_(shape.hidden1),
      dropout_(shape.dropout),
      fc2_(shape.hidden1, shape.hidden2),
      fc3_(shape.hidden2, 1) {}

template <typename T>
void FfnnClassifier<T>::reset_parameters(Rng& rng) {
  fc1_.reset_parameters(rng);
  fc2_.reset_parameters(rng);
  fc3_.reset_parameters(rng);
}

template <typename T>
const nn::Matrix<T>& FfnnClassifier<T>::forward(const nn::Matrix<T>& in, bool training, Rng& rng) {
  const nn::Matrix<T>& h1 = relu1_.forward(norm_.forward(fc1_.forward(in), training));
  const nn::Matrix<T>& h2 = relu2_.forward(fc2_.forward(dropout_.forward(h1, training, rng)));
  return sigmoid_.forward(fc3_.forward(h2));
}

template <typename T>
void FfnnClassifier<T>::backward(const nn::Matrix<T>& d_probabilities) {
  const nn::Matrix<T>& d_h2 = fc3_.backward(sigmoid_.backward(d_probabilities));
  const nn::Matrix<T>& d_h1 = dropout_.backward(fc2_.backward(relu2_.backward(d_h2)));
  fc1_.backward(norm_.backward(relu1_.backward(d_h1)), /*input_gradient=*/false);
}

template <typename T>
std::vector<nn::ParameterRef<T>> FfnnClassifier<T>::parameters() {
  std::vector<nn::ParameterRef<T>> all;
  for (const auto& p : fc1_.parameters("0.")) all.push_back(p);
  for (const auto& p : norm_.parameters("1.")) all.push_back(p);
  for (const auto& p : fc2_.parameters("4.")) all.push_back(p);
  for (const auto& p : fc3_.parameters("6.")) all.push_back(p);
  return all;
}

template <typename T>
std::vector<nn::NamedTensor<T>> FfnnClassifier<T>::state() {
  const auto u = [](Eigen::Index n) { return static_cast<std::uint64_t>(n); };
  const std::uint64_t h1 = u(shape_.hidden1), h2 = u(shape_.hidden2), m = u(shape_.inputs);
  return {{"0.weight", {h1, m}, &fc1_.weight},
          {"0.bias", {h1}, &fc1_.bias},
          {"1.weight", {h1}, &norm_.weight},
          {"1.bias", {h1}, &norm_.bias},
          {"1.running_mean", {h1}, &norm_.running_mean},
          {"1.running_var", {h1}, &norm_.running_var},
          {"1.num_batches_tracked", {}, &norm_.num_batches_tracked},
          {"4.weight", {h2, h1}, &fc2_.weight},
          {"4.bias", {h2}, &fc2_.bias},
          {"6.weight", {1, h2}, &fc3_.weight},
          {"6.bias", {1}, &fc3_.bias}};
}

template class FfnnClassifier<float>;
template class FfnnClassifier<double>;

}  // namespace rxflow::ffnn

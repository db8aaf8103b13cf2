#include "training.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "nn/bce_loss.h"

namespace rxflow::ffnn {
namespace {

// Evaluation runs in blocks of this many rows, as a DataLoader would: every
// row is computed alone, so the block changes no value, and the layers'
// buffers keep the size of a default training batch instead of growing for
// each validation pass and being returned to the system after it.
constexpr Eigen::Index kPredictionRows = 16;

void shuffle(std::vector<std::size_t>& items, Rng& rng) {
  for (std::size_t i = items.size(); i-- > 1;) std::swap(items[i], items[rng.uniform_int(i + 1)]);
}

}  // namespace

Folds split_folds(std::size_t n, double train_fraction, double validation_fraction, Rng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  const auto n_train =
      static_cast<std::size_t>(std::llround(static_cast<double>(n) * train_fraction));
  const auto n_validation =
      static_cast<std::size_t>(std::llround(static_cast<double>(n) * validation_fraction));
  if (n_train == 0 || n_validation == 0 || n_train + n_validation >= n) {
    throw std::runtime_error("splitting " + std::to_string(n) + " rows as train " +
                             std::to_string(n_train) + ", validation " +
                             std::to_string(n_validation) + ", test " +
                             std::to_string(n - std::min(n, n_train + n_validation)) +
                             " leaves a fold empty; simulate more rows or change the fractions");
  }
  Folds folds;
  folds.train.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_train));
  folds.validation.assign(order.begin() + static_cast<std::ptrdiff_t>(n_train),
                          order.begin() + static_cast<std::ptrdiff_t>(n_train + n_validation));
  folds.test.assign(order.begin() + static_cast<std::ptrdiff_t>(n_train + n_validation),
                    order.end());
  return folds;
}

std::vector<std::int64_t> stratified_folds(const std::vector<std::int64_t>& labels, int k,
                                           Rng& rng) {
  std::vector<std::int64_t> fold(labels.size());
  std::size_t dealt = 0;
  for (const std::int64_t label : {std::int64_t{0}, std::int64_t{1}}) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == label) rows.push_back(i);
    }
    if (rows.size() < static_cast<std::size_t>(k)) {
      throw std::runtime_error(
          "cv = " + std::to_string(k) + " needs at least " + std::to_string(k) +
          " rows of each class to cross-fit, the pool has " + std::to_string(rows.size()) +
          " with label " + std::to_string(label) + " (simulate more patients or lower cv)");
    }
    shuffle(rows, rng);
    for (const std::size_t row : rows)
      fold[row] = static_cast<std::int64_t>(dealt++ % static_cast<std::size_t>(k));
  }
  return fold;
}

template <typename T>
nn::Matrix<T> gather_rows(const nn::Matrix<T>& data, const std::vector<std::size_t>& rows) {
  nn::Matrix<T> out(static_cast<Eigen::Index>(rows.size()), data.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(static_cast<Eigen::Index>(i)) = data.row(static_cast<Eigen::Index>(rows[i]));
  }
  return out;
}

template <typename T>
TrainingLog train_classifier(FfnnClassifier<T>& model, const nn::Matrix<T>& inputs,
                             const nn::Matrix<T>& labels, const Folds& folds,
                             const TrainingOptions& options, Rng& rng) {
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  if (folds.train.size() < batch_size) {
    throw std::runtime_error(
        "the training fold has " + std::to_string(folds.train.size()) +
        " rows, fewer than one batch (batch_size = " + std::to_string(batch_size) + ")");
  }
  nn::Adam<T> adam(model.parameters(), options.adam);
  const nn::Matrix<T> validation_inputs = gather_rows(inputs, folds.validation);
  const nn::Matrix<T> validation_labels = gather_rows(labels, folds.validation);
  std::vector<std::size_t> order = folds.train;
  std::vector<std::size_t> batch_rows;
  TrainingLog log;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    shuffle(order, rng);
    double loss_sum = 0.0;  // as a Python loop summing loss.item() * rows
    std::size_t rows_seen = 0;
    for (std::size_t start = 0; start < order.size(); start += batch_size) {
      const std::size_t end = std::min(start + batch_size, order.size());
      if (end - start < 2) continue;
      batch_rows.assign(order.begin() + static_cast<std::ptrdiff_t>(start),
                        order.begin() + static_cast<std::ptrdiff_t>(end));
      const nn::Matrix<T> x = gather_rows(inputs, batch_rows);
      const nn::Matrix<T> y = gather_rows(labels, batch_rows);
      adam.zero_grad();
      const nn::Matrix<T>& p = model.forward(x, true, rng);
      loss_sum += static_cast<double>(nn::bce_loss(p, y)) * static_cast<double>(end - start);
      rows_seen += end - start;
      model.backward(nn::bce_loss_gradient(p, y));
      adam.step();
    }
    log.train_loss.push_back(loss_sum / static_cast<double>(rows_seen));
    if (validation_inputs.rows() > 0) {
      log.validation_loss.push_back(
          nn::bce_loss(predict(model, validation_inputs), validation_labels));
    }
    if (options.after_epoch) options.after_epoch();
  }
  return log;
}

template <typename T>
nn::Matrix<T> predict(FfnnClassifier<T>& model, const nn::Matrix<T>& inputs) {
  Rng unused(0);
  nn::Matrix<T> probabilities(inputs.rows(), 1);
  for (Eigen::Index start = 0; start < inputs.rows(); start += kPredictionRows) {
    const Eigen::Index rows = std::min(kPredictionRows, inputs.rows() - start);
    probabilities.middleRows(start, rows) =
        model.forward(inputs.middleRows(start, rows), false, unused);
  }
  return probabilities;
}

template TrainingLog train_classifier(FfnnClassifier<float>&, const nn::Matrix<float>&,
                                      const nn::Matrix<float>&, const Folds&,
                                      const TrainingOptions&, Rng&);
template TrainingLog train_classifier(FfnnClassifier<double>&, const nn::Matrix<double>&,
                                      const nn::Matrix<double>&, const Folds&,
                                      const TrainingOptions&, Rng&);
template nn::Matrix<float> gather_rows(const nn::Matrix<float>&, const std::vector<std::size_t>&);
template nn::Matrix<double> gather_rows(const nn::Matrix<double>&, const std::vector<std::size_t>&);
template nn::Matrix<float> predict(FfnnClassifier<float>&, const nn::Matrix<float>&);
template nn::Matrix<double> predict(FfnnClassifier<double>&, const nn::Matrix<double>&);

}  // namespace rxflow::ffnn

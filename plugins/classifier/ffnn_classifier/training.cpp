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

nn::Matrix gather_rows(const nn::Matrix& data, const std::vector<std::size_t>& rows) {
  nn::Matrix out(static_cast<Eigen::Index>(rows.size()), data.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(static_cast<Eigen::Index>(i)) = data.row(static_cast<Eigen::Index>(rows[i]));
  }
  return out;
}

TrainingLog train_classifier(FfnnClassifier& model, const nn::Matrix& inputs,
                             const nn::Matrix& labels, const Folds& folds,
                             const TrainingOptions& options, Rng& rng) {
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  if (folds.train.size() < batch_size) {
    throw std::runtime_error(
        "the training fold has " + std::to_string(folds.train.size()) +
        " rows, fewer than one batch (batch_size = " + std::to_string(batch_size) + ")");
  }
  nn::Adam adam(model.parameters(), options.adam);
  const nn::Matrix validation_inputs = gather_rows(inputs, folds.validation);
  const nn::Matrix validation_labels = gather_rows(labels, folds.validation);
  std::vector<std::size_t> order = folds.train;
  std::vector<std::size_t> batch_rows;
  TrainingLog log;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    shuffle(order, rng);
    double loss_sum = 0.0;
    std::size_t rows_seen = 0;
    for (std::size_t start = 0; start < order.size(); start += batch_size) {
      const std::size_t end = std::min(start + batch_size, order.size());
      if (end - start < 2) continue;
      batch_rows.assign(order.begin() + static_cast<std::ptrdiff_t>(start),
                        order.begin() + static_cast<std::ptrdiff_t>(end));
      const nn::Matrix x = gather_rows(inputs, batch_rows);
      const nn::Matrix y = gather_rows(labels, batch_rows);
      adam.zero_grad();
      const nn::Matrix& p = model.forward(x, true, rng);
      loss_sum += nn::bce_loss(p, y) * static_cast<double>(end - start);
      rows_seen += end - start;
      model.backward(nn::bce_loss_gradient(p, y));
      adam.step();
    }
    log.train_loss.push_back(loss_sum / static_cast<double>(rows_seen));
    log.validation_loss.push_back(
        nn::bce_loss(predict(model, validation_inputs), validation_labels));
  }
  return log;
}

nn::Matrix predict(FfnnClassifier& model, const nn::Matrix& inputs) {
  Rng unused(0);
  nn::Matrix probabilities(inputs.rows(), 1);
  for (Eigen::Index start = 0; start < inputs.rows(); start += kPredictionRows) {
    const Eigen::Index rows = std::min(kPredictionRows, inputs.rows() - start);
    probabilities.middleRows(start, rows) =
        model.forward(inputs.middleRows(start, rows), false, unused);
  }
  return probabilities;
}

}  // namespace rxflow::ffnn

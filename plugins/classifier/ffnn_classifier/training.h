// Retrain-on-request training of the classifier (seed paper, Sections 6.1
// and 7): a seeded split into train, validation and test folds, then epochs
// of shuffled mini-batches with BCE and Adam. Draws come from one Rng in a
// documented order (docs/plugins/ffnn_classifier.md): initialisation, split,
// then per epoch the shuffle and per batch the dropout masks.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ffnn.h"
#include "nn/adam.h"

namespace rxflow::ffnn {

struct Folds {
  std::vector<std::size_t> train, validation, test;  // row indices
};

// A Fisher-Yates permutation of 0..n-1 (i from n-1 down to 1 swaps with
// uniform_int(i + 1)); the first round(n train_fraction) rows train, the next
// round(n validation_fraction) validate, the rest test. Throws
// std::runtime_error when a fold would be empty.
Folds split_folds(std::size_t n, double train_fraction, double validation_fraction, Rng& rng);

struct TrainingOptions {
  int epochs = 10;
  int batch_size = 16;
  nn::AdamOptions adam;
  // Called after each epoch; may throw to stop the training (the stage
  // checks there whether the run was cancelled). Empty: not called.
  std::function<void()> after_epoch;
};

struct TrainingLog {
  std::vector<double> train_loss;       // per epoch: mean BCE over the rows trained on
  std::vector<double> validation_loss;  // per epoch: BCE of the validation fold, eval mode;
                                        // empty when that fold is
};

// K stratified folds of rows with these labels (0/1), as scikit-learn's
// StratifiedKFold(shuffle=True) in spirit: each class's rows are shuffled
// (Fisher-Yates, negatives first) and dealt round-robin into folds, the deal
// going on from one class to the next, so fold sizes differ by at most one
// and each fold holds each class's rows within one. Returns each row's fold.
// Throws std::runtime_error when a class has fewer than k rows (a fold would
// calibrate on one class).
std::vector<std::int64_t> stratified_folds(const std::vector<std::int64_t>& labels, int k,
                                           Rng& rng);

// Rows of `data` picked by `rows`, in that order.
template <typename T>
nn::Matrix<T> gather_rows(const nn::Matrix<T>& data, const std::vector<std::size_t>& rows);

// Each epoch shuffles the training rows (Fisher-Yates) and steps on batches
// of batch_size; a trailing batch of one row is skipped that epoch, because
// BatchNorm cannot train on one row. Throws std::runtime_error when the
// training fold has fewer rows than one batch. Each batch's loss is computed
// in T; the epoch's mean sums them in double.
template <typename T>
TrainingLog train_classifier(FfnnClassifier<T>& model, const nn::Matrix<T>& inputs,
                             const nn::Matrix<T>& labels, const Folds& folds,
                             const TrainingOptions& options, Rng& rng);

// Probabilities in evaluation mode, (rows, 1), computed in blocks of a
// few rows; a row's probability depends on that row alone.
template <typename T>
nn::Matrix<T> predict(FfnnClassifier<T>& model, const nn::Matrix<T>& inputs);

}  // namespace rxflow::ffnn

// Training the conditional VAE (conditional_vae.h) on phantoms with Adam,
// and the per-epoch measures of what it learned. Every draw comes from the
// one Rng given, in this order: the model's initialisation
// (ConditionalVae::reset_parameters), then per epoch a Fisher-Yates shuffle
// of the rows (i from n - 1 down to 1 swaps with uniform_int(i + 1)), then
// per mini-batch (in shuffled order, the last one shorter when n is not a
// multiple of batch_size) its eps, rows x latent_dim Rng::normal()
// draws in row-major order, each rounded to T. The evaluation draws nothing.
// The model computes in T (float or double); the inputs are rounded to T
// once, and the quality measures are in double on its outputs. Not
// thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "conditional_vae.h"
#include "nn/adam.h"

namespace rxflow::cvae {

struct TrainingOptions {
  int epochs = 10;
  int batch_size = 32;
  double beta = 1.0;
  nn::AdamOptions adam;
  int evaluation_rows = 64;   // the first rows, in input order, that quality measures use
  int spread_conditions = 8;  // conditions decoded from the prior mean for the spread
  // Called after each epoch; may throw to stop the training (the stage
  // checks there whether the run was cancelled). Empty: not called.
  std::function<void()> after_epoch;
};

// Quality after an epoch (row 0: the initialised, untrained model).
struct Quality {
  // Mean squared error per pixel of the reconstructions from mu (BatchNorm
  // in evaluation mode) to their phantoms, over the evaluation rows.
  double reconstruction_mse = 0;
  // The decoder's images at latent 0 for the first spread_conditions
  // conditions: the per-pixel standard deviation across conditions,
  // averaged over the pixels. Zero when the condition is ignored.
  double condition_spread = 0;
};

struct TrainingLog {
  std::vector<LossTerms> epochs;  // per epoch: means over the rows trained on
  std::vector<Quality> quality;   // epochs + 1 entries, untrained first
};

// images (n, P) in [0, 1], conditions (n, k). Returns the trained model.
// Throws std::invalid_argument for mismatched or empty inputs.
template <typename T>
TrainingLog train(ConditionalVae<T>& model, const nn::Matrix<double>& images,
                  const nn::Matrix<double>& conditions, const TrainingOptions& options, Rng& rng);

// images (n, P) and conditions (n, k) in T.
template <typename T>
Quality measure_quality(ConditionalVae<T>& model, const nn::Matrix<T>& images,
                        const nn::Matrix<T>& conditions, const TrainingOptions& options);

}  // namespace rxflow::cvae

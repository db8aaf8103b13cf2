// The conv_decoder stage's grid of images across patient features: one
// request's decoder input (its latent and condition) repeated with one
// patient feature changed at a time (age, genetic marker, comorbidity),
// each over `steps` evenly spaced values of its simulated range, so that a
// reader sees what a trained decoder does with each feature. The features
// are found by the cohort's column names (age_norm, genetic_marker,
// comorbidity), each min-max normalized over its range. T is the decoder's
// compute type, float or double. Pure function.
#pragma once

#include <string>
#include <vector>

#include "nn/matrix.h"

namespace rxflow::decoder {

template <typename T>
struct FeatureGrid {
  // (features steps, inputs): row f steps + k is feature f at step k.
  nn::Matrix<T> inputs;
  std::vector<std::string> labels;  // one per row, e.g. "age 54"
  int features = 0, steps = 0;
};

// `input` (1, inputs) is the request's decoder input whose columns from
// `feature_offset` on are its normalized features, named `feature_columns`.
// Each value k / (steps - 1) is computed in double and rounded to T.
// REQUIRES: steps >= 2. Throws std::runtime_error naming a missing column.
template <typename T>
FeatureGrid<T> feature_grid(const nn::Matrix<T>& input, Eigen::Index feature_offset,
                            const std::vector<std::string>& feature_columns, int steps);

}  // namespace rxflow::decoder

// What every calibrator stage shares: reading and checking the classifier's
// outputs, fitting one map per fold or one for all rows, and emitting the
// calibrated probabilities (seed paper, Section 6.3).
//
// A calibrator fits on the rows the classifier held out (validation_*).
// With scikit-learn's CalibratedClassifierCV semantics when the classifier
// cross-fits (validation_fold, fold_test_probabilities and fold_p0 bound):
// - ensemble = true: map i fits on fold i's rows; a test row or request is
//   the mean over folds of map i applied to fold model i's probability;
// - ensemble = false: one map fits on all rows and applies to the
//   classifier's own probabilities (test_probabilities, p0).
// Without those inputs there is one fold and both are the same. The
// repeat_* inputs, when bound, are calibrated repeat by repeat the same way
// into calibrated_repeat_p0.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rxflow/plugin.h"

namespace rxflow::calibration {

// Rows a calibrator fits on, and which fold's model predicted each.
struct HeldOut {
  std::vector<double> probabilities;
  std::vector<double> labels;      // 0.0 or 1.0
  std::vector<std::int64_t> fold;  // in [0, folds)
  std::size_t folds = 1;
};

// One fold's (or all) rows to fit a map on.
struct FitRows {
  std::vector<double> probabilities;
  std::vector<double> labels;
};

// A fitted map, probability -> calibrated probability.
using Map = std::function<double(double)>;
// Fits a map; `primary` is true for the maps of the run's own
// calibration (not a repeat's), whose parameters the stage records.
using FitMap = std::function<Map(const FitRows& rows, bool primary)>;

// One repeat's predictions to calibrate: (folds, n) per fold model, and the
// classifier's own.
struct Predictions {
  std::vector<std::vector<double>> by_fold;
  std::vector<double> own;
};

struct CalibrationInputs {
  std::string method;  // names the calibrator in messages
  bool ensemble = true;
  HeldOut validation;
  Predictions test;
  Predictions p0;
  std::vector<HeldOut> repeats;  // empty when repeat_* is unbound
  std::vector<Predictions> repeat_p0;
};

// The input ports every calibrator declares.
std::vector<PortSpec> calibrator_inputs();
// The calibrated outputs every calibrator declares (before its own map's).
std::vector<PortSpec> calibrated_outputs();
// The parameters every calibrator declares (ensemble).
std::vector<ParamSpec> calibrator_params();

// Throws std::runtime_error for non-finite or out-of-[0, 1] probabilities,
// labels other than 0/1, inputs of disagreeing sizes, folds out of range,
// and a fold with fewer than 2 rows or with one class only (`method` names
// the calibrator in the message).
CalibrationInputs read_calibration_inputs(const StageContext& ctx, const std::string& method);

// The rows each map fits on: one set per fold (ensemble) or all rows.
std::vector<FitRows> fit_sets(const HeldOut& held_out, bool ensemble);

// Calibrated values of `predictions` with maps fitted on fit_sets(held_out,
// ensemble), in that order: ensemble, the mean over folds of map i at fold
// model i's value (summed in fold order); otherwise the one map at `own`.
std::vector<double> calibrate(const std::vector<Map>& maps, const Predictions& predictions,
                              bool ensemble);

// Fits the maps, applies them to the validation rows (each by its fold's
// map), the test fold, p0 and each repeat's p0, emits them, and logs p0 raw
// and calibrated for each request.
void emit_calibrated(StageContext& ctx, const CalibrationInputs& inputs, const FitMap& fit);

}  // namespace rxflow::calibration

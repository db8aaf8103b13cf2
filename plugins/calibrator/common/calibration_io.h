// What every calibrator stage shares: reading and checking the classifier's
// folds, and emitting the calibrated probabilities. A calibrator fits on the
// validation fold and applies the fitted map to the validation fold, the
// test fold and every request's p0 (seed paper, Section 6.3).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rxflow/plugin.h"

namespace rxflow::calibration {

struct CalibrationInputs {
  std::vector<double> validation_probabilities;
  std::vector<double> validation_labels;  // 0.0 or 1.0
  std::vector<double> test_probabilities;
  std::vector<double> p0;
};

// The input ports every calibrator declares.
std::vector<PortSpec> calibrator_inputs();
// The calibrated outputs every calibrator declares (before its own map's).
std::vector<PortSpec> calibrated_outputs();

// Throws std::runtime_error for non-finite or out-of-[0, 1] probabilities,
// labels other than 0/1, folds of different lengths, and a validation fold
// with fewer than 2 rows or with one class only (`method` names the
// calibrator in the message).
CalibrationInputs read_calibration_inputs(const StageContext& ctx, const std::string& method);

// Applies `calibrate` to each fold and p0, emits them, and logs p0 raw and
// calibrated for each request.
void emit_calibrated(StageContext& ctx, const CalibrationInputs& inputs,
                     const std::function<double(double)>& calibrate);

}  // namespace rxflow::calibration

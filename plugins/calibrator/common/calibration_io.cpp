#include "calibration_io.h"

#include <stdexcept>

#include "input_checks.h"

namespace rxflow::calibration {

std::vector<PortSpec> calibrator_inputs() {
  return {{"validation_probabilities", DType::kFloat64, 1,
           "classifier output on the validation fold", false},
          {"validation_labels", DType::kInt64, 1, "labels of the validation fold", false},
          {"test_probabilities", DType::kFloat64, 1, "classifier output on the test fold", false},
          {"p0", DType::kFloat64, 1, "classifier output for each request", false},
          checks::request_ids_input()};
}

std::vector<PortSpec> calibrated_outputs() {
  return {
      {"calibrated_validation_probabilities", DType::kFloat64, 1, "calibrated, validation fold",
       false},
      {"calibrated_test_probabilities", DType::kFloat64, 1, "calibrated, test fold", false},
      {"calibrated_p0", DType::kFloat64, 1, "calibrated probability of each request (p')", false}};
}

CalibrationInputs read_calibration_inputs(const StageContext& ctx, const std::string& method) {
  CalibrationInputs inputs;
  inputs.validation_probabilities = checks::probabilities(ctx, "validation_probabilities");
  inputs.test_probabilities = checks::probabilities(ctx, "test_probabilities");
  inputs.p0 = checks::probabilities(ctx, "p0");
  const auto& labels = checks::binary_labels(ctx, "validation_labels");
  if (labels.size() != inputs.validation_probabilities.size()) {
    throw std::runtime_error("input \"validation_labels\" has " + std::to_string(labels.size()) +
                             " rows, \"validation_probabilities\" " +
                             std::to_string(inputs.validation_probabilities.size()));
  }
  std::size_t positives = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    positives += static_cast<std::size_t>(labels[i]);
    inputs.validation_labels.push_back(static_cast<double>(labels[i]));
  }
  if (labels.size() < 2 || positives == 0 || positives == labels.size()) {
    throw std::runtime_error(
        method + " calibration needs a validation fold with both classes; it has " +
        std::to_string(labels.size() - positives) + " negative and " + std::to_string(positives) +
        " positive rows (simulate more patients or "
        "change the class balance)");
  }
  return inputs;
}

void emit_calibrated(StageContext& ctx, const CalibrationInputs& inputs,
                     const std::function<double(double)>& calibrate) {
  auto apply = [&](const std::vector<double>& raw) {
    std::vector<double> out;
    out.reserve(raw.size());
    for (double p : raw) out.push_back(calibrate(p));
    return out;
  };
  const std::vector<double> p0 = apply(inputs.p0);
  for (std::size_t i = 0; i < p0.size(); ++i) {
    ctx.log("calibrated p' = " + std::to_string(p0[i]) +
            " (raw p0 = " + std::to_string(inputs.p0[i]) + ") for " + checks::request_name(ctx, i));
  }
  ctx.emit("calibrated_validation_probabilities",
           Artifact::vector(apply(inputs.validation_probabilities)));
  ctx.emit("calibrated_test_probabilities", Artifact::vector(apply(inputs.test_probabilities)));
  ctx.emit("calibrated_p0", Artifact::vector(p0));
}

}  // namespace rxflow::calibration

// The isotonic_calibrator plugin (seed paper, Section 6.3).
#include "calibration_io.h"
#include "isotonic.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::isotonic {
namespace {

class IsotonicCalibratorStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{
        "isotonic_calibrator",
        kinds::calibrator(),
        "0.1.0",
        "isotonic regression fitted on the validation fold (scikit-learn 1.2 semantics)",
        calibration::calibrator_inputs(),
        calibration::calibrated_outputs(),
        {}};
    info.outputs.push_back({"thresholds_x", DType::kFloat64, 1, "fitted map: scores", false});
    info.outputs.push_back(
        {"thresholds_y", DType::kFloat64, 1, "fitted map: calibrated values", false});
    return info;
  }

  void run(StageContext& ctx) override {
    const calibration::CalibrationInputs inputs =
        calibration::read_calibration_inputs(ctx, "isotonic");
    const IsotonicMap map = fit_isotonic(inputs.validation_probabilities, inputs.validation_labels);
    ctx.log("isotonic map with " + std::to_string(map.x.size()) + " thresholds");
    calibration::emit_calibrated(ctx, inputs, [&](double p) { return apply_isotonic(map, p); });
    ctx.emit("thresholds_x", Artifact::vector(map.x));
    ctx.emit("thresholds_y", Artifact::vector(map.y));
  }
};

}  // namespace
}  // namespace rxflow::isotonic

RXFLOW_PLUGIN(rxflow::isotonic::IsotonicCalibratorStage)

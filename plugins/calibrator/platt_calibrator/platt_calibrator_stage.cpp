// The platt_calibrator plugin (seed paper, Section 6.3).
#include "calibration_io.h"
#include "platt.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::platt {
namespace {

class PlattCalibratorStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{"platt_calibrator",
                    kinds::calibrator(),
                    "0.1.0",
                    "Platt scaling fitted on the validation fold (scikit-learn 1.2 semantics)",
                    calibration::calibrator_inputs(),
                    calibration::calibrated_outputs(),
                    {}};
    info.outputs.push_back(
        {"a", DType::kFloat64, 0, "fitted map 1 / (1 + exp(a f + b)): a", false});
    info.outputs.push_back({"b", DType::kFloat64, 0, "fitted map: b", false});
    return info;
  }

  void run(StageContext& ctx) override {
    const calibration::CalibrationInputs inputs =
        calibration::read_calibration_inputs(ctx, "Platt");
    const PlattMap map = fit_platt(inputs.validation_probabilities, inputs.validation_labels);
    ctx.log("Platt map a = " + std::to_string(map.a) + ", b = " + std::to_string(map.b) +
            " after " + std::to_string(map.iterations) + " Newton steps (gradient norm " +
            std::to_string(map.gradient_norm) + ")");
    calibration::emit_calibrated(ctx, inputs, [&](double p) { return apply_platt(map, p); });
    ctx.emit("a", Artifact::scalar(map.a));
    ctx.emit("b", Artifact::scalar(map.b));
  }
};

}  // namespace
}  // namespace rxflow::platt

RXFLOW_PLUGIN(rxflow::platt::PlattCalibratorStage)

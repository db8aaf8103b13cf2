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
                    "0.2.0",
                    "Platt scaling fitted on held-out rows, one map per fold or one for all "
                    "(scikit-learn 1.2 semantics)",
                    calibration::calibrator_inputs(),
                    calibration::calibrated_outputs(),
                    calibration::calibrator_params()};
    info.outputs.push_back(
        {"a", DType::kFloat64, 1, "fitted maps 1 / (1 + exp(a f + b)), one per fold: a", false});
    info.outputs.push_back({"b", DType::kFloat64, 1, "fitted maps: b", false});
    return info;
  }

  void run(StageContext& ctx) override {
    const calibration::CalibrationInputs inputs =
        calibration::read_calibration_inputs(ctx, "Platt");
    std::vector<double> a, b;
    calibration::emit_calibrated(
        ctx, inputs, [&](const calibration::FitRows& rows, bool primary) -> calibration::Map {
          const PlattMap map = fit_platt(rows.probabilities, rows.labels);
          if (primary) {
            ctx.log("Platt map a = " + std::to_string(map.a) + ", b = " + std::to_string(map.b) +
                    " after " + std::to_string(map.iterations) + " Newton steps (gradient norm " +
                    std::to_string(map.gradient_norm) + ")");
            a.push_back(map.a);
            b.push_back(map.b);
          }
          return [map](double p) { return apply_platt(map, p); };
        });
    ctx.emit("a", Artifact::vector(std::move(a)));
    ctx.emit("b", Artifact::vector(std::move(b)));
  }
};

}  // namespace
}  // namespace rxflow::platt

RXFLOW_PLUGIN(rxflow::platt::PlattCalibratorStage)

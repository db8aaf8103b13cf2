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
    PluginInfo info{"isotonic_calibrator",
                    kinds::calibrator(),
                    "0.2.0",
                    "isotonic regression fitted on held-out rows, one map per fold or one for all "
                    "(scikit-learn 1.2 semantics)",
                    calibration::calibrator_inputs(),
                    calibration::calibrated_outputs(),
                    calibration::calibrator_params()};
    info.outputs.push_back(
        {"thresholds_x", DType::kFloat64, 1, "fitted maps: scores, map after map", false});
    info.outputs.push_back(
        {"thresholds_y", DType::kFloat64, 1, "fitted maps: calibrated values", false});
    info.outputs.push_back(
        {"thresholds_fold", DType::kInt64, 1, "fitted maps: the map of each threshold", false});
    return info;
  }

  void run(StageContext& ctx) override {
    const calibration::CalibrationInputs inputs =
        calibration::read_calibration_inputs(ctx, "isotonic");
    std::vector<double> x, y;
    std::vector<std::int64_t> fold;
    calibration::emit_calibrated(
        ctx, inputs, [&](const calibration::FitRows& rows, bool primary) -> calibration::Map {
          IsotonicMap map = fit_isotonic(rows.probabilities, rows.labels);
          if (primary) {
            ctx.log("isotonic map with " + std::to_string(map.x.size()) + " thresholds");
            const auto index = fold.empty() ? std::int64_t{0} : fold.back() + 1;
            x.insert(x.end(), map.x.begin(), map.x.end());
            y.insert(y.end(), map.y.begin(), map.y.end());
            fold.insert(fold.end(), map.x.size(), index);
          }
          return [map = std::move(map)](double p) { return apply_isotonic(map, p); };
        });
    ctx.emit("thresholds_x", Artifact::vector(std::move(x)));
    ctx.emit("thresholds_y", Artifact::vector(std::move(y)));
    ctx.emit("thresholds_fold", Artifact::vector(std::move(fold)));
  }
};

}  // namespace
}  // namespace rxflow::isotonic

RXFLOW_PLUGIN(rxflow::isotonic::IsotonicCalibratorStage)

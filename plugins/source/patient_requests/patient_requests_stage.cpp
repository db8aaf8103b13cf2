// The patient_requests plugin (kind requests): the patients and drugs a run
// predicts for, written as the stage's rows ([[stage.rows]]). Everything it
// emits is known from the rows, so it declares its outputs when the plan is
// checked and later stages can check their own configuration against them.
#include "patient_rows.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::patient_requests {
namespace {

class PatientRequestsStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{"patient_requests",
                    kinds::requests(),
                    "0.1.0",
                    "the patients and drugs to predict for (seed paper, Section 12.1), as rows",
                    {},
                    {{"request_ids", DType::kString, 1, "patient id of each request"},
                     {"request_drugs", DType::kString, 1, "drug of each request, as written"},
                     {"request_patients", DType::kFloat64, 2,
                      "age, weight_kg, gender (0 male, 1 female, 2 other), genetic_marker, "
                      "comorbidity of each request"}},
                    {}};
    info.row_schema = row_schema();
    return info;
  }

  void check(PlanCheck& ctx) const override {
    RequestArtifacts artifacts = request_artifacts(ctx.rows());
    ctx.declare_output("request_ids", std::move(artifacts.ids));
    ctx.declare_output("request_drugs", std::move(artifacts.drugs));
    ctx.declare_output("request_patients", std::move(artifacts.patients));
  }

  void run(StageContext& ctx) override {
    RequestArtifacts artifacts = request_artifacts(ctx.rows());
    ctx.emit("request_ids", std::move(artifacts.ids));
    ctx.emit("request_drugs", std::move(artifacts.drugs));
    ctx.emit("request_patients", std::move(artifacts.patients));
  }
};

}  // namespace
}  // namespace rxflow::patient_requests

RXFLOW_PLUGIN(rxflow::patient_requests::PatientRequestsStage)

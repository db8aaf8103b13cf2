#include "audit/run_overview.h"

namespace rxflow {

RunOverview run_overview(const RunReader& reader) {
  RunOverview run;
  run.started_at = reader.attribute("started_at");
  run.workflow = reader.attribute("workflow");
  run.run_id = reader.attribute("run_id");
  run.seed = reader.attribute("root_seed");
  run.status = reader.attribute("status");
  run.root_hash = reader.attribute("root_hash");
  run.error = reader.attribute("error");
  return run;
}

std::vector<std::string> generated_embedding_drugs(const RunReader& reader,
                                                   const std::vector<StoredStage>& stages) {
  std::vector<std::string> drugs;
  for (const StoredStage& stage : stages) {
    if (stage.record.plugin_kind != "embedding") continue;
    for (const ArtifactRecord& output : stage.record.outputs) {
      if (output.name != "unknown_drugs") continue;
      const Artifact names = reader.read_artifact(stage.record.id, output.name);
      if (const auto* list = std::get_if<std::vector<std::string>>(&names.values)) {
        drugs.insert(drugs.end(), list->begin(), list->end());
      }
    }
  }
  return drugs;
}

}  // namespace rxflow

#include "audit/run_headline.h"

namespace rxflow {

std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages) {
  std::vector<HeadlineMetric> metrics;
  for (const StoredStage& stage : stages) {
    if (stage.record.status != "complete") continue;
    for (const ArtifactRecord& output : stage.record.outputs) {
      if (output.metrics) {
        add_headline_metrics(metrics, stage.record.id,
                             reader.read_artifact(stage.record.id, output.name));
      }
    }
  }
  return metrics;
}

}  // namespace rxflow

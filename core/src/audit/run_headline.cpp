#include "audit/run_headline.h"

#include <cmath>
#include <set>

namespace rxflow {

std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages) {
  std::vector<HeadlineMetric> metrics;
  std::set<std::string> names;
  for (const StoredStage& stage : stages) {
    if (stage.record.status != "complete") continue;
    for (const ArtifactRecord& output : stage.record.outputs) {
      if (!output.metrics) continue;
      const Artifact table = reader.read_artifact(stage.record.id, output.name);
      const auto* values = std::get_if<std::vector<double>>(&table.values);
      if (!values || table.shape.size() != 2 || table.shape[0] != 1) continue;
      for (std::size_t c = 0; c < table.columns.size() && c < values->size(); ++c) {
        const std::string& column = table.columns[c];
        const std::string name = names.count(column) ? stage.record.id + "." + column : column;
        names.insert(name);
        metrics.push_back({name, stage.record.id, (*values)[c]});
      }
    }
  }
  return metrics;
}

double headline_value(const std::vector<HeadlineMetric>& metrics, const std::string& name) {
  for (const HeadlineMetric& metric : metrics) {
    if (metric.name == name) return metric.value;
  }
  return NAN;
}

}  // namespace rxflow

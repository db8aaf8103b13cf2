#include "audit/run_headline.h"

#include <cmath>

namespace rxflow {
namespace {

const StoredStage* first_of_kind(const std::vector<StoredStage>& stages, const char* kind) {
  for (const StoredStage& stage : stages) {
    if (stage.record.plugin_kind == kind && stage.record.status == "complete") return &stage;
  }
  return nullptr;
}

bool has_output(const StoredStage& stage, const char* name) {
  for (const ArtifactRecord& output : stage.record.outputs) {
    if (output.name == name) return true;
  }
  return false;
}

// The first float64 value of a stage's output, NaN when there is none.
double first_value(const RunReader& reader, const StoredStage* stage, const char* name) {
  if (!stage || !has_output(*stage, name)) return NAN;
  const Artifact artifact = reader.read_artifact(stage->record.id, name);
  const auto* values = std::get_if<std::vector<double>>(&artifact.values);
  return values && !values->empty() ? values->front() : NAN;
}

// metrics[row][column], by the column's name.
double table_value(const Artifact& table, std::size_t row, const std::string& column) {
  const auto* values = std::get_if<std::vector<double>>(&table.values);
  if (!values || table.shape.size() != 2 || row >= table.shape[0]) return NAN;
  for (std::size_t c = 0; c < table.columns.size() && c < table.shape[1]; ++c) {
    if (table.columns[c] == column) return (*values)[row * table.shape[1] + c];
  }
  return NAN;
}

}  // namespace

std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages) {
  std::vector<HeadlineMetric> metrics{
      {"p0", first_value(reader, first_of_kind(stages, "classifier"), "p0")},
      {"calibrated_p0", first_value(reader, first_of_kind(stages, "calibrator"), "p0")}};
  const StoredStage* evaluator = first_of_kind(stages, "evaluator");
  Artifact table;
  if (evaluator && has_output(*evaluator, "metrics"))
    table = reader.read_artifact(evaluator->record.id, "metrics");
  // Row 0 scores the raw probabilities, row 1 the calibrated ones.
  for (const auto& [name, row, column] : {std::tuple{"auc", 0, "roc_auc"},
                                          {"brier", 0, "brier"},
                                          {"calibrated_auc", 1, "roc_auc"},
                                          {"calibrated_brier", 1, "brier"}}) {
    metrics.push_back({name, table_value(table, static_cast<std::size_t>(row), column)});
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

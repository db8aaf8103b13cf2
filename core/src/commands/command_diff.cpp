// rxflow diff: what differs between two runs, from the cause to the effect:
// workflow and parameters, seeds, plugins and engine, environment, then the
// artifacts one by one (their stored values rehashed) and the headline
// metrics side by side.
#include <cmath>
#include <iomanip>
#include <map>
#include <set>

#include "audit/run_comparison.h"
#include "audit/run_headline.h"
#include "store/headline_metrics.h"
#include "audit/workflow_comparison.h"
#include "commands/commands.h"
#include "commands/comparison_json.h"
#include "store/run_reader.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

using Lines = std::vector<std::string>;

struct RunSide {
  std::string path;
  std::string run_id;
  std::string status;
  std::string root_hash;
};

struct DiffResult {
  RunSide a, b;
  ValueChanges workflow, seeds, plugins, environment;
  Lines integrity;
  std::vector<ArtifactComparison> artifacts;
  struct Metric {
    std::string name;
    double a, b;
  };
  std::vector<Metric> metrics;
};

std::string either(const std::string& text) { return text.empty() ? "(none)" : text; }

Lines lines_of(const ValueChanges& changes) {
  Lines lines;
  for (const ValueChange& change : changes) lines.push_back(change.line());
  return lines;
}

RunSide side_of(const RunReader& reader) {
  return {reader.path(), reader.attribute("run_id"), reader.attribute("status"),
          reader.attribute("root_hash")};
}

nlohmann::ordered_json to_json(const DiffResult& result) {
  auto side = [](const RunSide& run) {
    return nlohmann::ordered_json{{"file", run.path},
                                  {"run_id", run.run_id},
                                  {"status", run.status},
                                  {"root_hash", run.root_hash}};
  };
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const DiffResult::Metric& metric : result.metrics) {
    metrics.push_back({{"name", metric.name}, {"a", metric.a}, {"b", metric.b}});
  }
  return {{"a", side(result.a)},
          {"b", side(result.b)},
          {"workflow", lines_of(result.workflow)},
          {"seeds", lines_of(result.seeds)},
          {"plugins", lines_of(result.plugins)},
          {"environment", lines_of(result.environment)},
          {"integrity", result.integrity},
          {"artifacts", comparison_json(result.artifacts)},
          {"metrics", metrics}};
}

void section(std::ostream& out, const char* title, const Lines& lines, const char* when_same) {
  out << "\n" << title << "\n";
  if (lines.empty()) out << "  " << when_same << "\n";
  for (const std::string& line : lines) out << "  " << line << "\n";
}

void print_text(const DiffResult& result, std::ostream& out) {
  for (const auto& [label, run] : {std::pair{"A", &result.a}, {"B", &result.b}}) {
    out << label << "  " << run->path << "  (run " << run->run_id << ", " << run->status
        << ", root hash " << either(run->root_hash) << ")\n";
  }
  if (!result.integrity.empty()) section(out, "integrity", result.integrity, "");
  section(out, "workflow and parameters", lines_of(result.workflow), "same");
  section(out, "seeds", lines_of(result.seeds), "same");
  section(out, "plugins and engine", lines_of(result.plugins), "same");
  section(out, "environment", lines_of(result.environment), "same");
  out << "\nartifacts\n";
  std::map<Comparison, int> counts;
  for (const ArtifactComparison& entry : result.artifacts) {
    ++counts[entry.status];
    out << "  " << std::left << std::setw(11) << comparison_name(entry.status)
        << entry.stage + "." + entry.name;
    if (entry.status == Comparison::kDifferent) out << ": " << difference_text(entry);
    out << "\n";
  }
  out << "  " << counts[Comparison::kIdentical] << " identical, " << counts[Comparison::kDifferent]
      << " different, " << counts[Comparison::kOnlyInA] << " only in A, "
      << counts[Comparison::kOnlyInB] << " only in B\n";
  out << "\nheadline metrics\n  " << std::setw(22) << "" << std::setw(14) << "A"
      << "B\n";
  for (const DiffResult::Metric& metric : result.metrics) {
    out << "  " << std::setw(22) << metric.name << std::setw(14) << decimal_text(metric.a, 6, "-")
        << decimal_text(metric.b, 6, "-") << "\n";
  }
}

}  // namespace

int command_diff(const std::string& file_a, const std::string& file_b, OutputFormat format,
                 std::ostream& out) {
  const RunReader a(file_a), b(file_b);
  const std::vector<StoredStage> stored_a = a.stages(), stored_b = b.stages();
  const auto stages_a = records_by_id(stored_a), stages_b = records_by_id(stored_b);
  DiffResult result;
  result.a = side_of(a);
  result.b = side_of(b);
  result.workflow = workflow_changes(a, b, stages_a, stages_b);
  add_change(result.seeds, "root seed", a.attribute("root_seed"), b.attribute("root_seed"));
  add_change(result.plugins, "engine",
             a.attribute("engine_version") + " git " + a.attribute("git_commit"),
             b.attribute("engine_version") + " git " + b.attribute("git_commit"));
  for (const auto& [id, record] : stages_a) {
    const auto other = stages_b.find(id);
    if (other == stages_b.end()) continue;
    add_change(result.seeds, "stage " + id, std::to_string(record.seed),
               std::to_string(other->second.seed));
    add_change(result.plugins, "stage " + id + " version", record.plugin_version,
               other->second.plugin_version);
    add_change(result.plugins, "stage " + id + " library sha256", record.plugin_sha256,
               other->second.plugin_sha256);
  }
  add_named_changes(result.environment, "", a.environment(), b.environment());
  result.artifacts = compare_artifacts(a, b);
  for (const ArtifactComparison& entry : result.artifacts) {
    for (const auto& [label, altered] :
         {std::pair{"A", entry.altered_in_a}, {"B", entry.altered_in_b}}) {
      if (altered) {
        result.integrity.push_back(std::string(label) + ": artifact " + entry.stage + "." +
                                   entry.name +
                                   ": its stored values do not match its recorded hash (the file "
                                   "was changed after it was written; see rxflow verify)");
      }
    }
  }
  const std::vector<HeadlineMetric> metrics_a = headline_metrics(a, stored_a),
                                    metrics_b = headline_metrics(b, stored_b);
  std::vector<std::string> names;
  for (const auto* list : {&metrics_a, &metrics_b}) add_metric_names(names, *list);
  for (const std::string& name : names) {
    result.metrics.push_back(
        {name, headline_value(metrics_a, name), headline_value(metrics_b, name)});
  }
  print_result(result, format, out);
  return 0;
}

}  // namespace rxflow

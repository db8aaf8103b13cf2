// rxflow diff: what differs between two runs, from the cause to the effect:
// workflow and parameters, seeds, plugins and engine, environment, then the
// artifacts one by one and the headline metrics side by side.
#include <cmath>
#include <iomanip>
#include <map>
#include <set>

#include "commands/commands.h"
#include "audit/run_comparison.h"
#include "audit/run_headline.h"
#include "support/text_escaping.h"
#include "spec/spec.h"

namespace rxflow {
namespace {

using Lines = std::vector<std::string>;

void section(std::ostream& out, const char* title, const Lines& lines, const char* when_same) {
  out << "\n" << title << "\n";
  if (lines.empty()) out << "  " << when_same << "\n";
  for (const std::string& line : lines) out << "  " << line << "\n";
}

std::string either(const std::string& text) { return text.empty() ? "(none)" : text; }

void compare_value(Lines& lines, const std::string& what, const std::string& a,
                   const std::string& b) {
  if (a != b) lines.push_back(what + ": " + either(a) + " -> " + either(b));
}

void compare_named(Lines& lines, const std::string& prefix, const NamedText& a,
                   const NamedText& b) {
  std::map<std::string, std::string> left(a.begin(), a.end()), right(b.begin(), b.end());
  std::set<std::string> names;
  for (const auto& [name, value] : left) names.insert(name);
  for (const auto& [name, value] : right) names.insert(name);
  for (const std::string& name : names) {
    compare_value(lines, prefix + name, left.count(name) ? left[name] : "",
                  right.count(name) ? right[name] : "");
  }
}

std::map<std::string, StageRecord> records_by_id(const std::vector<StoredStage>& stages) {
  std::map<std::string, StageRecord> records;
  for (const StoredStage& stored : stages) records[stored.record.id] = stored.record;
  return records;
}

std::string request_text(const Request& request) {
  return request.patient_id + " " + request.drug + " age " + format_param_value(request.age) +
         " weight " + format_param_value(request.weight_kg) + " " + gender_name(request.gender) +
         " marker " + format_param_value(request.genetic_marker) + " comorbidity " +
         format_param_value(request.comorbidity);
}

Lines workflow_lines(const RunReader& a, const RunReader& b,
                     const std::map<std::string, StageRecord>& stages_a,
                     const std::map<std::string, StageRecord>& stages_b) {
  Lines lines;
  compare_value(lines, "workflow", a.attribute("workflow"), b.attribute("workflow"));
  std::string overrides_a, overrides_b;
  for (const std::string& o : a.overrides()) overrides_a += (overrides_a.empty() ? "" : " ") + o;
  for (const std::string& o : b.overrides()) overrides_b += (overrides_b.empty() ? "" : " ") + o;
  compare_value(lines, "overrides", overrides_a, overrides_b);
  std::set<std::string> ids;
  for (const auto& [id, record] : stages_a) ids.insert(id);
  for (const auto& [id, record] : stages_b) ids.insert(id);
  for (const std::string& id : ids) {
    const auto left = stages_a.find(id), right = stages_b.find(id);
    if (left == stages_a.end() || right == stages_b.end()) {
      lines.push_back("stage " + id + ": only in " + (left == stages_a.end() ? "B" : "A"));
      continue;
    }
    compare_value(lines, id + " plugin", left->second.plugin, right->second.plugin);
    compare_named(lines, id + ".", left->second.params, right->second.params);
    compare_named(lines, id + " input ", left->second.inputs, right->second.inputs);
    compare_named(lines, id + " file ", left->second.files, right->second.files);
  }
  const Spec spec_a = parse_spec_text(a.resolved_workflow(), a.path() + ":/workflow/resolved");
  const Spec spec_b = parse_spec_text(b.resolved_workflow(), b.path() + ":/workflow/resolved");
  const std::size_t requests = std::max(spec_a.requests.size(), spec_b.requests.size());
  for (std::size_t i = 0; i < requests; ++i) {
    compare_value(lines, "request " + std::to_string(i + 1),
                  i < spec_a.requests.size() ? request_text(spec_a.requests[i]) : "",
                  i < spec_b.requests.size() ? request_text(spec_b.requests[i]) : "");
  }
  return lines;
}

}  // namespace

int command_diff(const std::string& file_a, const std::string& file_b, std::ostream& out) {
  const RunReader a(file_a), b(file_b);
  const std::vector<StoredStage> stored_a = a.stages(), stored_b = b.stages();
  const auto stages_a = records_by_id(stored_a), stages_b = records_by_id(stored_b);
  for (const auto& [label, reader] : {std::pair{"A", &a}, {"B", &b}}) {
    out << label << "  " << reader->path() << "  (run " << reader->attribute("run_id") << ", "
        << reader->attribute("status") << ", root hash " << either(reader->attribute("root_hash"))
        << ")\n";
  }
  section(out, "workflow and parameters", workflow_lines(a, b, stages_a, stages_b), "same");

  Lines seeds;
  compare_value(seeds, "root seed", a.attribute("root_seed"), b.attribute("root_seed"));
  for (const auto& [id, record] : stages_a) {
    const auto other = stages_b.find(id);
    if (other != stages_b.end()) {
      compare_value(seeds, "stage " + id, std::to_string(record.seed),
                    std::to_string(other->second.seed));
    }
  }
  section(out, "seeds", seeds, "same");

  Lines plugins;
  compare_value(plugins, "engine",
                a.attribute("engine_version") + " git " + a.attribute("git_commit"),
                b.attribute("engine_version") + " git " + b.attribute("git_commit"));
  for (const auto& [id, record] : stages_a) {
    const auto other = stages_b.find(id);
    if (other == stages_b.end()) continue;
    compare_value(plugins, "stage " + id + " version", record.plugin_version,
                  other->second.plugin_version);
    compare_value(plugins, "stage " + id + " library sha256", record.plugin_sha256,
                  other->second.plugin_sha256);
  }
  section(out, "plugins and engine", plugins, "same");

  Lines environment;
  compare_named(environment, "", a.environment(), b.environment());
  section(out, "environment", environment, "same");

  out << "\nartifacts\n";
  std::map<Comparison, int> counts;
  for (const ArtifactComparison& entry : compare_artifacts(a, b)) {
    ++counts[entry.status];
    out << "  " << std::left << std::setw(11) << comparison_name(entry.status)
        << entry.stage + "." + entry.name;
    if (entry.status == Comparison::kDifferent) out << ": " << difference_text(entry);
    out << "\n";
  }
  out << "  " << counts[Comparison::kIdentical] << " identical, " << counts[Comparison::kDifferent]
      << " different, " << counts[Comparison::kOnlyInA] << " only in A, "
      << counts[Comparison::kOnlyInB] << " only in B\n";

  out << "\nheadline metrics\n  " << std::setw(18) << "" << std::setw(14) << "A"
      << "B\n";
  const std::vector<HeadlineMetric> metrics_a = headline_metrics(a, stored_a),
                                    metrics_b = headline_metrics(b, stored_b);
  for (const HeadlineMetric& metric : metrics_a) {
    const double other = headline_value(metrics_b, metric.name);
    if (std::isnan(metric.value) && std::isnan(other)) continue;
    out << "  " << std::setw(18) << metric.name << std::setw(14)
        << decimal_text(metric.value, 6, "-") << decimal_text(other, 6, "-") << "\n";
  }
  return 0;
}

}  // namespace rxflow

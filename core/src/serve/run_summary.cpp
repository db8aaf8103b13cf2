#include "serve/run_summary.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "audit/run_headline.h"
#include "serve/request_form.h"
#include "spec/spec.h"
#include "store/run_file.h"
#include "store/run_reader.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFailedSuffix = ".failed.h5";

// The run id a file name stands for, "" when it is not an ended run's.
std::string run_id_of_file(const std::string& name) {
  if (!is_ended_run_file_name(name)) return "";
  std::string id = name.substr(0, name.size() - 3);
  if (id.ends_with(".failed")) id.resize(id.size() - 7);
  return is_run_id(id) ? id : "";
}

}  // namespace

double RunSummary::metric(const std::string& name) const { return headline_value(metrics, name); }

namespace {

std::string value_in(const std::vector<std::pair<std::string, std::string>>& values,
                     const std::string& key) {
  for (const auto& [name, value] : values) {
    if (name == key) return value;
  }
  return "";
}

}  // namespace

std::string RunSummary::request_value(const std::string& column) const {
  return value_in(request, column);
}

std::string RunSummary::param_value(const std::string& name) const {
  return value_in(params, name);
}

bool is_run_id(const std::string& text) {
  static const std::regex pattern("[0-9]{8}-[0-9]{6}-[0-9a-f]{6}");
  return std::regex_match(text, pattern);
}

std::string RunSummaries::run_file(const std::string& run_id) const {
  std::error_code error;
  for (const std::string& name : {run_id + ".h5", run_id + kFailedSuffix}) {
    const fs::path file = fs::path(workflow_dir_) / name;
    if (fs::is_regular_file(file, error)) return file.string();
  }
  return "";
}

RunSummary RunSummaries::read(const std::string& file) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (const auto found = by_file_.find(file); found != by_file_.end()) return found->second;
  }
  RunSummary summary;
  summary.file = file;
  try {
    const RunReader reader(file);
    static_cast<RunOverview&>(summary) = run_overview(reader);
    for (const auto& [name, value] : reader.tags()) {
      if (name == "serve_job") summary.serve_job = value;
    }
    const std::vector<StoredStage> stages = reader.stages();
    summary.metrics = headline_metrics(reader, stages);
    summary.unknown_drugs = generated_embedding_drugs(reader, stages);
    std::string requests_stage;
    for (const StoredStage& stage : stages) {
      if (stage.record.plugin_kind == "requests" && requests_stage.empty()) {
        requests_stage = stage.record.id;
      }
    }
    const Spec resolved = parse_spec_text(reader.resolved_workflow(), file + ":/workflow/resolved");
    for (const StageSpec& stage : resolved.stages) {
      for (const auto& [name, value] : stage.params) {
        summary.params.emplace_back(stage.id + "." + name, form_text(value.value));
      }
      if (stage.id != requests_stage || stage.rows.empty()) continue;
      for (const auto& [name, value] : stage.rows.front().values) {
        summary.request.emplace_back(name, form_text(value.value));
      }
    }
  } catch (const std::exception& error) {
    summary.read_error = one_line(error.what());
  }
  summary.run_id = run_id_of_file(fs::path(file).filename().string());
  // <run-id>/ beside <run-id>.h5, <run-id>.failed/ beside <run-id>.failed.h5.
  const std::string folder = file.substr(0, file.size() - 3);
  std::error_code error;
  if (fs::is_directory(folder, error)) summary.report_dir = folder;
  if (summary.read_error.empty()) {
    const std::lock_guard<std::mutex> lock(mutex_);
    by_file_.emplace(file, summary);
  }
  return summary;
}

std::optional<RunSummary> RunSummaries::find(const std::string& run_id) {
  const std::string file = run_file(run_id);
  if (file.empty()) return std::nullopt;
  return read(file);
}

std::vector<RunSummary> RunSummaries::all() {
  std::vector<std::string> files;
  std::error_code error;
  for (fs::directory_iterator it(workflow_dir_, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!run_id_of_file(name).empty() && it->is_regular_file(error)) {
      files.push_back(it->path().string());
    }
  }
  std::vector<RunSummary> summaries;
  for (const std::string& file : files) summaries.push_back(read(file));
  std::sort(summaries.begin(), summaries.end(), [](const RunSummary& a, const RunSummary& b) {
    return std::tie(a.started_at, a.run_id) > std::tie(b.started_at, b.run_id);
  });
  return summaries;
}

}  // namespace rxflow

// rxflow show: what a run file holds, for people or (--json) for programs.
#include <iomanip>

#include "commands/commands.h"
#include "store/run_reader.h"
#include "store/sweep_index.h"

namespace rxflow {
namespace {

struct ShowResult {
  std::string run_file;
  std::uint64_t format_version = 0;
  NamedText attributes;
  std::vector<std::string> drift;
  std::vector<std::string> overrides;
  NamedText environment;
  std::vector<StoredStage> stages;
  std::string resolved_workflow;
};

nlohmann::ordered_json named_json(const NamedText& items) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [key, value] : items) object[key] = value;
  return object;
}

nlohmann::ordered_json to_json(const ShowResult& result) {
  nlohmann::ordered_json stages = nlohmann::ordered_json::array();
  for (const StoredStage& stored : result.stages) {
    const StageRecord& record = stored.record;
    nlohmann::ordered_json artifacts = nlohmann::ordered_json::array();
    for (const ArtifactRecord& artifact : record.outputs) {
      artifacts.push_back({{"name", artifact.name},
                           {"dtype", dtype_name(artifact.dtype)},
                           {"shape", artifact.shape},
                           {"sha256", artifact.sha256},
                           {"metrics", artifact.metrics}});
    }
    stages.push_back({{"id", record.id},
                      {"plugin", record.plugin},
                      {"plugin_kind", record.plugin_kind},
                      {"renders", record.renders},
                      {"plugin_version", record.plugin_version},
                      {"plugin_sha256", record.plugin_sha256},
                      {"plugin_file", record.plugin_file},
                      {"seed", record.seed},
                      {"status", record.status},
                      {"error", record.error},
                      {"seconds", record.seconds},
                      {"record_sha256", stored.record_sha256},
                      {"params", named_json(record.params)},
                      {"param_origins", named_json(record.param_origins)},
                      {"inputs", named_json(record.inputs)},
                      {"files", named_json(record.files)},
                      {"rows", record.rows},
                      {"log", record.log},
                      {"reused_from_run", record.reused_from_run},
                      {"reused_from_stage", record.reused_from_stage},
                      {"artifacts", artifacts}});
  }
  return {{"run_file", result.run_file},
          {"format_version", result.format_version},
          {"attributes", named_json(result.attributes)},
          {"drift", result.drift},
          {"overrides", result.overrides},
          {"environment", named_json(result.environment)},
          {"stages", stages},
          {"resolved_workflow", result.resolved_workflow}};
}

void print_text(const ShowResult& result, std::ostream& out) {
  out << "run file          " << result.run_file << "\n";
  out << "format_version    " << result.format_version << "\n";
  for (const char* key :
       {"status", "run_id", "workflow", "root_seed", "root_seed_source", "root_hash", "seal_sha256",
        "engine_version", "git_commit", "started_at", "finished_at", "seconds", "store_seconds",
        "failed_stage", "error", "replay_of", "replay_of_root_hash"}) {
    for (const auto& [name, value] : result.attributes) {
      if (name == key && !value.empty()) out << std::left << std::setw(18) << key << value << "\n";
    }
  }
  for (const std::string& line : result.drift) out << "drift             " << line << "\n";
  for (const std::string& assignment : result.overrides) {
    out << "override          " << assignment << "\n";
  }
  out << "\nenvironment:\n";
  for (const auto& [key, value] : result.environment) {
    out << "  " << std::left << std::setw(22) << key << value << "\n";
  }
  out << "\nstages (run order):\n";
  for (const StoredStage& stage : result.stages) {
    const StageRecord& record = stage.record;
    out << "  " << record.id << ": " << record.plugin << " " << record.plugin_version << " ("
        << record.plugin_kind << (record.renders ? ", renders" : "") << "), " << record.status
        << ", " << std::fixed << std::setprecision(3) << record.seconds << " s, seed "
        << record.seed << "\n"
        << "    library " << record.plugin_file << " sha256 " << record.plugin_sha256 << "\n";
    if (!record.error.empty()) out << "    error: " << record.error << "\n";
    if (!record.reused_from_run.empty()) {
      out << "    reused: outputs taken from run " << record.reused_from_run << ", stage "
          << record.reused_from_stage << "\n";
    }
    for (const auto& [name, value] : record.params)
      out << "    param " << name << " = " << value << "\n";
    for (const auto& [port, binding] : record.inputs)
      out << "    input " << port << " <- " << binding << "\n";
    for (const std::string& row : record.rows) out << "    row " << row << "\n";
    for (const ArtifactRecord& artifact : record.outputs) {
      out << "    artifact " << std::left << std::setw(20) << artifact.name << std::setw(8)
          << dtype_name(artifact.dtype) << std::setw(14) << shape_text(artifact.shape) << "sha256 "
          << artifact.sha256 << (artifact.metrics ? "  (metrics)" : "") << "\n";
    }
  }
  out << "\nworkflow as resolved:\n" << result.resolved_workflow;
}

}  // namespace

int command_show(const std::string& run_file, OutputFormat format, std::ostream& out) {
  if (is_sweep_index(run_file)) return command_show_sweep(run_file, format, out);
  const RunReader reader(run_file);
  const ShowResult result{run_file,        reader.format_version(),   reader.attributes(),
                          reader.drift(),  reader.overrides(),        reader.environment(),
                          reader.stages(), reader.resolved_workflow()};
  print_result(result, format, out);
  return 0;
}

}  // namespace rxflow

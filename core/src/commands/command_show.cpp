#include <iomanip>

#include "commands/commands.h"

namespace rxflow {

int command_show(const std::string& run_file, std::ostream& out) {
  const RunReader reader(run_file);
  out << "run file          " << run_file << "\n";
  for (const char* key :
       {"status", "run_id", "workflow", "root_seed", "root_seed_source", "root_hash",
        "engine_version", "git_commit", "started_at", "finished_at", "seconds", "store_seconds",
        "failed_stage", "error", "replay_of", "replay_of_root_hash"}) {
    const std::string value = reader.attribute(key);
    if (!value.empty()) out << std::left << std::setw(18) << key << value << "\n";
  }
  for (const std::string& line : reader.list_attribute("drift"))
    out << "drift             " << line << "\n";
  const std::vector<std::string> overrides = reader.overrides();
  for (const std::string& assignment : overrides) out << "override          " << assignment << "\n";
  out << "\nenvironment:\n";
  for (const auto& [key, value] : reader.environment()) {
    out << "  " << std::left << std::setw(22) << key << value << "\n";
  }
  out << "\nstages (run order):\n";
  for (const StoredStage& stage : reader.stages()) {
    const StageRecord& record = stage.record;
    out << "  " << record.id << ": " << record.plugin << " " << record.plugin_version << " ("
        << record.plugin_kind << "), " << record.status << ", " << std::fixed
        << std::setprecision(3) << record.seconds << " s, seed " << record.seed << "\n"
        << "    library " << record.plugin_file << " sha256 " << record.plugin_sha256 << "\n";
    if (!record.error.empty()) out << "    error: " << record.error << "\n";
    for (const auto& [name, value] : record.params)
      out << "    param " << name << " = " << value << "\n";
    for (const auto& [port, binding] : record.inputs)
      out << "    input " << port << " <- " << binding << "\n";
    for (const ArtifactRecord& artifact : record.outputs) {
      out << "    artifact " << std::left << std::setw(20) << artifact.name << std::setw(8)
          << dtype_name(artifact.dtype) << std::setw(14) << shape_text(artifact.shape) << "sha256 "
          << artifact.sha256 << "\n";
    }
  }
  out << "\nworkflow as resolved:\n" << reader.resolved_workflow();
  return 0;
}

}  // namespace rxflow

// rxflow replay: the run rebuilt from what its file holds (the resolved
// workflow with its seed and requests), checked for plugin and input drift,
// run again, and compared artifact by artifact with the original.
#include <algorithm>
#include <iomanip>
#include <map>

#include "commands/commands.h"
#include "exec/environment.h"
#include "support/errors.h"
#include "exec/executor.h"
#include "support/install_paths.h"
#include "plan/plan.h"
#include "store/provenance.h"
#include "audit/run_comparison.h"

namespace rxflow {
namespace {

// Every way the plugins or external files found today differ from the
// recorded ones, one line each.
std::vector<std::string> find_drift(const Plan& plan, const std::vector<StoredStage>& recorded) {
  std::map<std::string, const StageRecord*> by_id;
  for (const StoredStage& stored : recorded) by_id[stored.record.id] = &stored.record;
  std::vector<std::string> drift;
  for (const PlannedStage& stage : plan.stages) {
    const auto found = by_id.find(stage.id);
    if (found == by_id.end()) continue;  // the original run failed before this stage
    const StageRecord& record = *found->second;
    const LoadedPlugin& plugin = *stage.plugin;
    const std::string what = "stage " + stage.id + ": plugin " + plugin.info.name;
    if (plugin.info.version != record.plugin_version) {
      drift.push_back(what + " version " + record.plugin_version + " recorded, " +
                      plugin.info.version + " found (" + plugin.file + ")");
    }
    if (plugin.sha256 != record.plugin_sha256) {
      drift.push_back(what + " library sha256 " + hash_prefix(record.plugin_sha256) +
                      " recorded, " + hash_prefix(plugin.sha256) + " found (" + plugin.file + ")");
    }
    for (const ResolvedParam& param : stage.params) {
      if (param.file_sha256.empty()) continue;
      std::string recorded_hash;
      for (const auto& [name, hash] : record.files) {
        if (name == param.spec.name) recorded_hash = hash;
      }
      if (recorded_hash != param.file_sha256) {
        drift.push_back("stage " + stage.id + ": file " + param.spec.name + " sha256 " +
                        hash_prefix(recorded_hash) + " recorded, " +
                        hash_prefix(param.file_sha256) + " found (" + param.file_path + ")");
      }
    }
  }
  return drift;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

}  // namespace

int command_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err) {
  const RunReader original(args.run_file);
  const std::string status = original.attribute("status");
  if (status != "complete" && status != "failed") {
    throw InputError(args.run_file + ": the run did not finish (status \"" + status +
                     "\"), so there is nothing to replay");
  }
  Spec spec = parse_spec_text(original.resolved_workflow(), args.run_file + ":/workflow/resolved");
  spec.path = original.workflow_path();  // relative file parameters resolve as they did
  spec.text = original.workflow_text();
  spec.overrides = original.overrides();
  PluginLoader loader(default_plugin_path(args.plugin_path));
  const Plan plan = make_plan(std::move(spec), loader, PlanOptions{{}, {builtin_data_dir()}});

  std::vector<std::string> drift = find_drift(plan, original.stages());
  if (!drift.empty() && !args.allow_drift) {
    throw InputError(args.run_file + ": replay refused: " + join(drift, "; ") +
                     " (pass --allow-drift to replay anyway; the drift is then recorded)");
  }
  for (const std::string& line : drift) err << "rxflow: drift allowed: " << line << "\n";
  const std::string engine_then =
      original.attribute("engine_version") + " (git " + original.attribute("git_commit") + ")";
  const std::string engine_now = engine_version() + " (git " + git_commit() + ")";
  if (engine_then != engine_now) {
    err << "rxflow: note: recorded with rxflow " << engine_then << ", replayed with " << engine_now
        << "; the root hash includes the engine, so it will differ\n";
  }

  const RunOptions options{args.results_dir,
                           args.quiet,
                           StoreOptions{},
                           {original.attribute("run_id"), original.attribute("root_hash"), drift}};
  const RunOutcome outcome = execute_plan(plan, options, err);
  const RunReader replayed(outcome.run_file);
  const std::vector<ArtifactComparison> comparison = compare_artifacts(original, replayed);

  out << "replay of " << args.run_file << "\n       as " << outcome.run_file << "\n\n";
  std::size_t stage_width = 6, name_width = 9;
  for (const ArtifactComparison& entry : comparison) {
    stage_width = std::max(stage_width, entry.stage.size() + 2);
    name_width = std::max(name_width, entry.name.size() + 2);
  }
  out << std::left << std::setw(stage_width) << "stage" << std::setw(name_width) << "artifact"
      << "result\n";
  std::string first_divergence;
  std::size_t identical = 0;
  for (const ArtifactComparison& entry : comparison) {
    out << std::setw(stage_width) << entry.stage << std::setw(name_width) << entry.name
        << comparison_name(entry.status);
    if (entry.status == Comparison::kDifferent) out << ": " << difference_text(entry);
    out << "\n";
    if (entry.status == Comparison::kIdentical) {
      ++identical;
    } else if (first_divergence.empty()) {
      first_divergence = entry.stage;
    }
  }
  const std::string root_then = original.attribute("root_hash");
  const std::string root_now = replayed.attribute("root_hash");
  out << "\n" << identical << " of " << comparison.size() << " artifacts identical";
  if (!first_divergence.empty()) out << "; first divergence at stage " << first_divergence;
  out << "\nroot hash " << (root_then == root_now && !root_now.empty() ? "identical " : "recorded ")
      << (root_then.empty() ? "(none)" : root_then);
  if (root_then != root_now) out << ", replay " << (root_now.empty() ? "(none)" : root_now);
  out << "\n";
  if (!outcome.ok) err << "rxflow: the replay failed: " << outcome.error << "\n";
  return outcome.ok && identical == comparison.size() && status == "complete" ? 0 : 1;
}

}  // namespace rxflow

#include "commands/replay_run.h"

#include <map>

#include "plan/plan.h"
#include "store/provenance.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/install_paths.h"

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

ReplayResult replay_run(const std::string& run_file, PluginLoader& loader,
                        const ReplaySettings& settings, StageRunner& runner,
                        RunObserver& observer) {
  const RunReader original(run_file);
  const std::string status = original.attribute("status");
  Spec spec = parse_spec_text(original.resolved_workflow(), run_file + ":/workflow/resolved");
  spec.path = original.workflow_path();  // relative file parameters resolve as they did
  spec.text = original.workflow_text();
  spec.overrides = original.overrides();
  const Plan plan = make_plan(std::move(spec), loader, PlanOptions{{}, {builtin_data_dir()}});

  ReplayResult result;
  result.drift = find_drift(plan, original.stages());
  if (!result.drift.empty() && !settings.allow_drift) {
    throw InputError(run_file + ": replay refused: " + join(result.drift, "; ") +
                     " (pass --allow-drift to replay anyway; the drift is then recorded)");
  }
  RunOptions options{settings.results_dir,
                     StoreOptions{},
                     {original.attribute("run_id"), original.attribute("root_hash"), result.drift},
                     nullptr};
  options.folder = settings.folder;
  const RunOutcome outcome = execute_plan(plan, options, runner, observer);
  result.original = run_file;
  result.replay = outcome.run_file;
  result.root_then = original.attribute("root_hash");
  result.error = outcome.error;
  if (!outcome.run_file.empty()) {
    const RunReader replayed(outcome.run_file);
    result.artifacts = compare_artifacts(original, replayed);
    result.root_now = replayed.attribute("root_hash");
  }
  for (const ArtifactComparison& entry : result.artifacts) {
    if (entry.status == Comparison::kIdentical) {
      ++result.identical;
    } else if (result.first_divergence.empty()) {
      result.first_divergence = entry.stage;
    }
  }
  result.ok = outcome.ok && result.identical == result.artifacts.size() && status == "complete";
  return result;
}

}  // namespace rxflow

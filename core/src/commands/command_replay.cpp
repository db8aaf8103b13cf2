// rxflow replay: the run rebuilt from what its file holds (the resolved
// workflow with its seed and rows), once the file verifies; checked for
// plugin and input drift, run again, and compared artifact by artifact with
// the original.
#include <algorithm>
#include <iomanip>
#include <map>

#include "audit/run_comparison.h"
#include "audit/verify.h"
#include "commands/commands.h"
#include "commands/comparison_json.h"
#include "commands/stage_printer.h"
#include "exec/environment.h"
#include "exec/executor.h"
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

struct ReplayResult {
  std::string original;
  std::string replay;
  std::vector<ArtifactComparison> artifacts;
  std::size_t identical = 0;
  std::string first_divergence;
  std::string root_then;
  std::string root_now;
  std::string error;  // the replay failed
  bool ok = false;
};

nlohmann::ordered_json to_json(const ReplayResult& result) {
  return {{"original", result.original},
          {"replay", result.replay},
          {"identical", result.identical},
          {"artifacts", comparison_json(result.artifacts)},
          {"first_divergence", result.first_divergence},
          {"root_hash_recorded", result.root_then},
          {"root_hash_replayed", result.root_now},
          {"error", result.error},
          {"ok", result.ok}};
}

void print_text(const ReplayResult& result, std::ostream& out) {
  out << "replay of " << result.original << "\n       as " << result.replay << "\n\n";
  std::size_t stage_width = 6, name_width = 9;
  for (const ArtifactComparison& entry : result.artifacts) {
    stage_width = std::max(stage_width, entry.stage.size() + 2);
    name_width = std::max(name_width, entry.name.size() + 2);
  }
  out << std::left << std::setw(stage_width) << "stage" << std::setw(name_width) << "artifact"
      << "result\n";
  for (const ArtifactComparison& entry : result.artifacts) {
    out << std::setw(stage_width) << entry.stage << std::setw(name_width) << entry.name
        << comparison_name(entry.status);
    if (entry.status == Comparison::kDifferent) out << ": " << difference_text(entry);
    out << "\n";
  }
  out << "\n" << result.identical << " of " << result.artifacts.size() << " artifacts identical";
  if (!result.first_divergence.empty()) {
    out << "; first divergence at stage " << result.first_divergence;
  }
  const bool same = result.root_then == result.root_now && !result.root_now.empty();
  out << "\nroot hash " << (same ? "identical " : "recorded ")
      << (result.root_then.empty() ? "(none)" : result.root_then);
  if (!same) out << ", replay " << (result.root_now.empty() ? "(none)" : result.root_now);
  out << "\n";
}

}  // namespace

int check_replayable(const std::string& run_file, std::ostream& err) {
  const RunReader original(run_file);
  if (original.format_version() < kRunFormatVersion) {
    throw InputError(run_file + ": run-file format version " +
                     std::to_string(original.format_version()) +
                     " cannot be replayed by this rxflow (its requests were a global input that "
                     "no stage recorded); `rxflow verify` still checks it");
  }
  const std::string status = original.attribute("status");
  if (status != "complete" && status != "failed") {
    throw InputError(run_file + ": the run did not finish (status \"" + status +
                     "\"), so there is nothing to replay");
  }
  // A replay compares with what the file holds: first prove it unchanged.
  const VerifyResult verified = verify_run(original);
  if (!verified.ok()) {
    err << "rxflow: " << run_file << ": replay refused: the file does not verify ("
        << verified.problems.size() << " problem" << (verified.problems.size() == 1 ? "" : "s")
        << "; first: " << verified.problems.front() << "); see rxflow verify " << run_file << "\n";
    return 1;
  }
  return 0;
}

int command_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err) {
  const RunReader original(args.run_file);
  const std::string status = original.attribute("status");
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
                           StoreOptions{},
                           {original.attribute("run_id"), original.attribute("root_hash"), drift},
                           nullptr};
  InProcessStageRunner runner;
  StagePrinter printer(err);
  RunObserver silent;
  const RunOutcome outcome = execute_plan(plan, options, runner, args.quiet ? silent : printer);
  ReplayResult result;
  result.original = args.run_file;
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
  print_result(result, args.format, out);
  if (!outcome.ok) err << "rxflow: the replay failed: " << outcome.error << "\n";
  return result.ok ? 0 : 1;
}

}  // namespace rxflow

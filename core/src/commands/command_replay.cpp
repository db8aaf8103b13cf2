// rxflow replay: a run replayed (commands/replay_run.h) once its file
// verifies, and the comparison printed; a sweep index replays every point
// (command_replay_sweep.cpp).
#include <algorithm>
#include <iomanip>
#include <map>

#include "audit/verify.h"
#include "commands/commands.h"
#include "commands/comparison_json.h"
#include "commands/replay_run.h"
#include "commands/stage_printer.h"
#include "exec/environment.h"
#include "store/provenance.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/install_paths.h"

namespace rxflow {

// Found by print_result through ReplayResult's namespace.

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

std::string replay_refusal(const std::string& run_file) {
  const RunReader original(run_file);
  if (original.format_version() < 2) {  // format 1 only: 2 and later replay
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
  if (verified.ok()) return "";
  return run_file + ": replay refused: the file does not verify (" +
         std::to_string(verified.problems.size()) + " problem" +
         (verified.problems.size() == 1 ? "" : "s") + "; first: " + verified.problems.front() +
         "); see rxflow verify " + run_file;
}

int check_replayable(const std::string& run_file, std::ostream& err) {
  const std::string refusal = replay_refusal(run_file);
  if (refusal.empty()) return 0;
  err << "rxflow: " << refusal << "\n";
  return 1;
}

int command_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err) {
  const RunReader original(args.run_file);
  const std::string engine_then =
      original.attribute("engine_version") + " (git " + original.attribute("git_commit") + ")";
  const std::string engine_now = engine_version() + " (git " + git_commit() + ")";
  if (engine_then != engine_now) {
    err << "rxflow: note: recorded with rxflow " << engine_then << ", replayed with " << engine_now
        << "; the root hash includes the engine, so it will differ\n";
  }
  PluginLoader loader(default_plugin_path(args.plugin_path));
  InProcessStageRunner runner;
  StagePrinter printer(err);
  RunObserver silent;
  const ReplayResult result =
      replay_run(args.run_file, loader, {args.results_dir, "", args.allow_drift}, runner,
                 args.quiet ? silent : printer);
  for (const std::string& line : result.drift) err << "rxflow: drift allowed: " << line << "\n";
  print_result(result, args.format, out);
  if (!result.error.empty()) err << "rxflow: the replay failed: " << result.error << "\n";
  return result.ok ? 0 : 1;
}

}  // namespace rxflow

// Replaying one run file: the run rebuilt from what its file holds (the
// resolved workflow with its seed and rows), checked for plugin and input
// drift, run again into the results folder, and compared artifact by
// artifact with the original. Used by `rxflow replay` for a run and, from
// worker threads, for every point of a sweep.
#pragma once

#include <string>
#include <vector>

#include "audit/run_comparison.h"
#include "exec/executor.h"
#include "loader/plugin_loader.h"

namespace rxflow {

struct ReplayResult {
  std::string original;
  std::string replay;
  std::vector<ArtifactComparison> artifacts;
  std::size_t identical = 0;
  std::string first_divergence;
  std::string root_then;
  std::string root_now;
  std::vector<std::string> drift;  // allowed drift, one line each
  std::string error;               // the replay failed
  bool ok = false;  // completed, every artifact identical, and the original was complete
};

struct ReplaySettings {
  std::string results_dir = "results";
  std::string folder;  // where the replay is written; "" for <results>/<workflow>/
  bool allow_drift = false;
};

// Throws InputError when the file has drift and allow_drift is false.
// REQUIRES: check_replayable(run_file) gave 0.
ReplayResult replay_run(const std::string& run_file, PluginLoader& loader,
                        const ReplaySettings& settings, StageRunner& runner, RunObserver& observer);

}  // namespace rxflow

// The executor: runs a Plan's stages in order through a StageRunner, hands
// every finished stage to the run's RunRecorder, and tells a RunObserver
// what happens. Artifacts stay in memory only while a later stage still
// needs them. It holds no state between runs: one plan may be executed many
// times, from several threads at once (each run its own file).
#pragma once

#include <atomic>
#include <string>

#include "exec/run_observer.h"
#include "exec/stage_cache.h"
#include "exec/stage_runner.h"
#include "plan/plan.h"
#include "store/headline_metrics.h"
#include "store/run_file.h"

namespace rxflow {

struct RunOptions {
  std::string results_dir = "results";  // the file goes to <results_dir>/<workflow>/
  StoreOptions store;
  ReplayOrigin replay_of;  // set by rxflow replay
  // Checked before each stage, and within a stage by its plugin's own
  // checks (StageContext::check_cancelled, e.g. after each epoch): once
  // true, the run stops and is kept as failed ("<cancel_reason> before
  // stage ..." or "... during stage ..."). May be null.
  const std::atomic<bool>* cancel = nullptr;
  // Set: the file goes into this folder instead (a sweep's points).
  std::string folder;
  NamedText tags;  // recorded as the run's /tags
  // Set: stages found there are reused instead of run, and stages run are
  // offered to it. May be null.
  StageCache* cache = nullptr;
  std::string cancel_reason = "cancelled";
};

struct RunOutcome {
  std::string run_file;
  std::string run_id;
  std::string root_hash;  // complete runs only
  std::string identity_sha256;
  std::string error;  // failed runs only: one line naming stage and plugin
  std::string failed_stage;
  std::vector<HeadlineMetric> metrics;  // of its metrics tables, as `rxflow log` shows them
  std::uint64_t stages_reused = 0;      // found in options.cache instead of run
  bool ok = false;
};

// Throws InputError when the run file cannot be created. A failing stage,
// a cancelled run or a run file that cannot be written is not an exception
// but an outcome with ok == false (with a .failed.h5 file, except when the
// file itself could not be written).
RunOutcome execute_plan(const Plan& plan, const RunOptions& options, StageRunner& runner,
                        RunObserver& observer);

}  // namespace rxflow

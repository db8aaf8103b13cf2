// StageRunner: runs one stage of one run and hands back what it emitted.
// The executor decides what runs when; a runner decides where (this
// process now; a subprocess or a cluster node would implement the same
// interface). A runner knows nothing of hashes or files. run() may be
// called from several threads at once.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"
#include "rxflow/run_info.h"

namespace rxflow {

struct StageJob {
  const PlannedStage& stage;
  std::map<std::string, const Artifact*> inputs;  // port -> artifact, owned by the executor
  const RunInfo& run_info;
  std::string output_dir;                            // where the stage's files for people go
  std::function<void(const std::string& line)> log;  // each line as it is logged
  // Once true, StageContext::check_cancelled throws "<cancel_reason> during
  // the stage". May be null (never cancelled).
  const std::atomic<bool>* cancel = nullptr;
  std::string cancel_reason;
};

struct StageResult {
  std::vector<std::pair<std::string, Artifact>> outputs;  // in declaration order
  std::vector<std::string> log;
  std::string error;  // empty when the stage completed
  double seconds = 0;
  // Set when the outputs came from a stage cache (exec/stage_cache.h), not
  // from the plugin: the run and stage that computed them.
  std::string reused_from_run;
  std::string reused_from_stage;
};

class StageRunner {
 public:
  virtual ~StageRunner() = default;
  // Never throws for a failing plugin: its error is in the result.
  virtual StageResult run(const StageJob& job) = 0;
};

// Runs the plugin in this process, on the calling thread.
class InProcessStageRunner final : public StageRunner {
 public:
  StageResult run(const StageJob& job) override;
};

}  // namespace rxflow

// EngineStageContext: the engine's StageContext for one planned stage. It
// serves the stage's resolved parameters, rows and bound inputs, and checks
// every emitted artifact against the plugin's declared outputs
// (schema/output_check.h) and against what the plugin declared when the plan
// was checked, so a faulty plugin fails its own stage with a clear message.
// Not thread-safe; one per stage run.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plan/planned_params.h"
#include "rxflow/stage_context.h"

namespace rxflow {

class EngineStageContext final : public PlannedParams<StageContext> {
 public:
  using LogSink = std::function<void(const std::string& line)>;

  // inputs: port -> artifact, owned by the caller for the stage's run.
  // output_dir: the folder output_dir() creates on demand.
  // cancel: the run's stop flag (may be null), read by check_cancelled.
  EngineStageContext(const PlannedStage& stage, std::map<std::string, const Artifact*> inputs,
                     const RunInfo& run_info, std::string output_dir, LogSink log_sink,
                     const std::atomic<bool>* cancel, std::string cancel_reason);

  std::uint64_t seed() const override { return stage_.seed; }
  Rng& rng() override { return rng_; }
  bool has_input(std::string_view port) const override;
  const Artifact& input(std::string_view port) const override;
  const RunInfo& run_info() const override { return run_info_; }
  std::string output_dir() override;
  void log(std::string_view message) override;
  void emit(std::string_view port, Artifact artifact) override;
  void check_cancelled() const override;

  // The emitted outputs, in declaration order. Throws std::runtime_error
  // naming the first declared output that was never emitted.
  std::vector<std::pair<std::string, Artifact>> take_outputs();
  std::vector<std::string> take_log() { return std::move(log_lines_); }

 private:
  std::map<std::string, const Artifact*> inputs_;
  const RunInfo& run_info_;
  std::string output_dir_;
  LogSink log_sink_;
  const std::atomic<bool>* cancel_;
  std::string cancel_reason_;
  Rng rng_;
  std::map<std::string, Artifact, std::less<>> outputs_;
  std::vector<std::string> log_lines_;
};

}  // namespace rxflow

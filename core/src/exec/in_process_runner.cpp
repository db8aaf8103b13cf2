#include <chrono>

#include "exec/engine_stage_context.h"
#include "exec/stage_runner.h"

namespace rxflow {

StageResult InProcessStageRunner::run(const StageJob& job) {
  const auto start = std::chrono::steady_clock::now();
  EngineStageContext context(job.stage, job.inputs, job.run_info, job.output_dir, job.log,
                             job.cancel, job.cancel_reason);
  StageResult result;
  // Exceptions are turned into errors here, at the plugin boundary.
  try {
    std::unique_ptr<Plugin> plugin = job.stage.plugin->create();
    plugin->run(context);
    result.outputs = context.take_outputs();
  } catch (const std::exception& error) {
    result.error = error.what();
    if (result.error.empty()) result.error = "the plugin threw an exception without a message";
  } catch (...) {
    result.error = "the plugin threw something that is not a std::exception";
  }
  result.log = context.take_log();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace rxflow

#include "exec/executor.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "exec/run_recorder.h"

namespace rxflow {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

RunOutcome execute_plan(const Plan& plan, const RunOptions& options, StageRunner& runner,
                        RunObserver& observer) {
  const auto run_start = Clock::now();
  const std::string folder =
      options.folder.empty()
          ? (std::filesystem::path(options.results_dir) / plan.spec.name).string()
          : options.folder;
  RunRecorder recorder(plan, folder, options.replay_of, options.store, options.tags);
  RunOutcome outcome;
  outcome.run_id = recorder.run_id();
  const std::size_t count = plan.stages.size();
  observer.run_started(
      {outcome.run_id, plan.spec.name, plan.root_seed, plan.seed_was_drawn, count});

  // How many later stages read each artifact, so it can be freed after its last reader.
  std::map<std::string, int> readers_left;
  for (const PlannedStage& stage : plan.stages) {
    for (const PlannedInput& input : stage.inputs) ++readers_left[input.stage + "." + input.output];
  }
  std::map<std::string, Artifact> live;
  auto fail = [&](const std::string& stage, const std::string& error) {
    outcome.error = error;
    outcome.failed_stage = stage;
    try {
      outcome.run_file = recorder.fail(stage, error, seconds_since(run_start));
    } catch (const StoreError& store_error) {
      outcome.error += "; " + std::string(store_error.what());
    }
    observer.run_failed({outcome.run_id, outcome.run_file, stage, outcome.error});
    return outcome;
  };
  try {
    for (std::size_t index = 0; index < count; ++index) {
      const PlannedStage& stage = plan.stages[index];
      const std::string& plugin = stage.plugin->info.name;
      if (options.cancel != nullptr && options.cancel->load()) {
        // Recorded as a stage that failed before it started, so the file
        // says where the run stopped as a failed stage would.
        StageResult stopped;
        stopped.error = options.cancel_reason + " before it started";
        recorder.record_stage(stage, stopped);
        return fail(stage.id, options.cancel_reason + " before stage \"" + stage.id + "\"");
      }
      observer.stage_started({outcome.run_id, index, count, stage.id, plugin});
      StageJob job{stage,
                   {},
                   recorder.run_info_for(stage),
                   recorder.staging_dir(),
                   [&](const std::string& line) {
                     observer.log_line({outcome.run_id, stage.id, line});
                   },
                   options.cancel,
                   options.cancel_reason};
      for (const PlannedInput& input : stage.inputs) {
        job.inputs[input.port] = &live.at(input.stage + "." + input.output);
      }
      const std::string key =
          options.cache != nullptr && !stage.renders() ? recorder.reuse_key(stage) : "";
      const auto stage_start = Clock::now();
      std::optional<CachedStage> cached;
      if (!key.empty()) cached = options.cache->find(key);
      StageResult result;
      if (cached) {
        result.outputs = std::move(cached->outputs);
        result.log = std::move(cached->log);
        result.reused_from_run = cached->run_id;
        result.reused_from_stage = cached->stage;
        result.seconds = seconds_since(stage_start);
        ++outcome.stages_reused;
      } else {
        try {
          result = runner.run(job);
        } catch (...) {
          if (!key.empty()) options.cache->abandon(key);
          throw;
        }
        if (!key.empty() && result.error.empty()) {
          options.cache->offer(key, {result.outputs, result.log, outcome.run_id, stage.id});
        } else if (!key.empty()) {
          options.cache->abandon(key);
        }
      }
      recorder.record_stage(stage, result);
      observer.stage_finished({outcome.run_id, index, count, stage.id, plugin, result.seconds,
                               result.error.empty(), result.error, result.reused_from_run});
      if (!result.error.empty() && options.cancel != nullptr && options.cancel->load()) {
        // Stopped by the stage's own check (or failed while a stop was
        // asked): the run says where it stopped.
        return fail(stage.id, options.cancel_reason + " during stage \"" + stage.id + "\"");
      }
      if (!result.error.empty()) {
        return fail(stage.id,
                    "stage \"" + stage.id + "\" (plugin " + plugin + ") failed: " + result.error);
      }
      for (auto& [name, artifact] : result.outputs) {
        const std::string key = stage.id + "." + name;
        if (readers_left[key] > 0) live.emplace(key, std::move(artifact));
      }
      for (const PlannedInput& input : stage.inputs) {
        const std::string key = input.stage + "." + input.output;
        if (--readers_left[key] == 0) live.erase(key);
      }
    }
    outcome.run_file = recorder.complete(seconds_since(run_start));
  } catch (const StoreError& error) {
    outcome.error = error.what();
    observer.run_failed({outcome.run_id, "", "", outcome.error});
    return outcome;
  }
  outcome.root_hash = recorder.root_hash();
  outcome.identity_sha256 = recorder.identity_sha256();
  outcome.metrics = recorder.metrics();
  outcome.ok = true;
  observer.run_finished({outcome.run_id, outcome.run_file, outcome.root_hash,
                         seconds_since(run_start), recorder.store_seconds()});
  return outcome;
}

}  // namespace rxflow

#include "exec/executor.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <map>

#include "exec/engine_stage_context.h"
#include "exec/environment.h"
#include "store/provenance.h"
#include "rxflow/seed.h"

namespace rxflow {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr const char* kIsoTime = "%Y-%m-%dT%H:%M:%SZ";

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, format, std::gmtime(&now));
  return buffer;
}

// Time of day to the second plus 6 hex digits that differ between runs
// started in the same second (not drawn from any experiment's generator).
std::string make_run_id() {
  const auto ticks = std::chrono::system_clock::now().time_since_epoch().count();
  const std::uint64_t salt =
      derive_seed(static_cast<std::uint64_t>(ticks), std::to_string(getpid()));
  std::ostringstream id;
  id << utc_now("%Y%m%d-%H%M%S") << "-" << std::hex << std::setw(6) << std::setfill('0')
     << (salt & 0xffffff);
  return id.str();
}

StageRecord identity_record(const PlannedStage& stage) {
  StageRecord record;
  record.id = stage.id;
  record.plugin = stage.plugin->info.name;
  record.plugin_kind = plugin_kind_name(stage.plugin->info.kind);
  record.plugin_version = stage.plugin->info.version;
  record.plugin_sha256 = stage.plugin->sha256;
  record.plugin_file = stage.plugin->file;
  record.seed = stage.seed;
  for (const ResolvedParam& param : stage.params) {
    record.params.emplace_back(param.spec.name, format_param_value(param.value));
    record.param_origins.emplace_back(param.spec.name, param.origin);
    if (!param.file_sha256.empty()) record.files.emplace_back(param.spec.name, param.file_sha256);
  }
  for (const PlannedInput& input : stage.inputs) {
    record.inputs.emplace_back(input.port, input.stage + "." + input.output);
  }
  return record;
}

}  // namespace

RunOutcome execute_plan(const Plan& plan, const RunOptions& options, std::ostream& progress) {
  const auto run_start = Clock::now();
  RunHeader header;
  header.run_id = make_run_id();
  header.workflow_name = plan.spec.name;
  header.workflow_path = plan.spec.path;
  header.workflow_text = plan.spec.text;
  header.resolved_workflow = resolved_workflow_toml(plan);
  header.overrides = plan.spec.overrides;
  header.root_seed = plan.root_seed;
  header.seed_was_drawn = plan.seed_was_drawn;
  header.engine_version = engine_version();
  header.git_commit = git_commit();
  header.identity_sha256 =
      run_identity_sha256(header.resolved_workflow, header.engine_version, header.git_commit);
  header.started_at = utc_now(kIsoTime);
  header.environment = collect_environment();
  header.replay_of = options.replay_of;

  const std::filesystem::path workflow_dir =
      std::filesystem::path(options.results_dir) / plan.spec.name;
  const std::string final_path = (workflow_dir / (header.run_id + ".h5")).string();
  RunInfo run_info;
  run_info.run_id = header.run_id;
  run_info.workflow = plan.spec.name;
  run_info.description = plan.spec.description;
  run_info.run_file = final_path;
  run_info.engine_version = header.engine_version;
  run_info.git_commit = header.git_commit;
  run_info.started_at = header.started_at;
  run_info.root_seed = plan.root_seed;
  for (const PlannedStage& stage : plan.stages) {
    const PluginInfo& info = stage.plugin->info;
    run_info.stages.push_back(
        {stage.id, info.name, info.version, plugin_kind_name(info.kind), stage.seed});
  }
  RunWriter writer(final_path, header, options.store);
  if (!options.quiet && plan.seed_was_drawn) {
    progress << "root seed " << plan.root_seed << " (drawn; pass --seed " << plan.root_seed
             << " to repeat)\n";
  }

  // How many later stages read each artifact, so it can be freed after its last reader.
  std::map<std::string, int> readers_left;
  for (const PlannedStage& stage : plan.stages) {
    for (const PlannedInput& input : stage.inputs) ++readers_left[input.stage + "." + input.output];
  }
  std::map<std::string, Artifact> live;
  std::map<std::string, std::string> hashes;
  std::vector<std::string> record_hashes;
  RunOutcome outcome;
  outcome.run_id = header.run_id;
  auto log_sink = [&](const std::string& stage, const std::string& line) {
    if (!options.quiet) progress << "  [" << stage << "] " << line << "\n";
  };

  for (const PlannedStage& stage : plan.stages) {
    // Reporters run last (the planner orders them so) and see the final root hash.
    const bool reporter = stage.plugin->info.kind == PluginKind::kReporter;
    if (reporter && run_info.root_hash.empty()) {
      run_info.root_hash = run_root_hash(header.identity_sha256, record_hashes);
    }
    StageRecord record = identity_record(stage);
    std::map<std::string, const Artifact*> inputs;
    for (const PlannedInput& input : stage.inputs) {
      const std::string key = input.stage + "." + input.output;
      inputs[input.port] = &live.at(key);
      record.input_hashes.emplace_back(input.port, hashes.at(key));
    }
    EngineStageContext context(stage, inputs, plan.spec.requests, run_info,
                               (workflow_dir / header.run_id).string(), log_sink);
    const auto stage_start = Clock::now();
    std::vector<std::pair<std::string, Artifact>> outputs;
    try {
      std::unique_ptr<Plugin> plugin = stage.plugin->create();
      plugin->run(context);
      outputs = context.take_outputs();
    } catch (const std::exception& error) {
      record.error = error.what();
    } catch (...) {
      record.error = "the plugin threw something that is not a std::exception";
    }
    record.seconds = seconds_since(stage_start);
    record.log = context.log_lines();
    if (!record.error.empty()) {
      record.status = "failed";
      writer.write_stage(record, stage_record_sha256(record));
      outcome.error =
          "stage \"" + stage.id + "\" (plugin " + record.plugin + ") failed: " + record.error;
      RunEnding ending{"",           seconds_since(run_start), writer.seconds_spent(), "", stage.id,
                       outcome.error};
      outcome.run_file = writer.finish_failed(ending);
      return outcome;
    }
    for (auto& [name, artifact] : outputs) {
      const std::string sha256 = artifact_sha256(artifact);
      writer.write_artifact(stage.id, name, artifact, sha256);
      record.outputs.push_back({name, artifact.dtype(), artifact.shape, sha256});
      const std::string key = stage.id + "." + name;
      hashes[key] = sha256;
      if (readers_left[key] > 0) live.emplace(key, std::move(artifact));
    }
    for (const PlannedInput& input : stage.inputs) {
      const std::string key = input.stage + "." + input.output;
      if (--readers_left[key] == 0) live.erase(key);
    }
    record.status = "complete";
    const std::string record_sha256 = stage_record_sha256(record);
    writer.write_stage(record, record_sha256);
    if (!reporter) record_hashes.push_back(record_sha256);
    if (!options.quiet) {
      progress << "stage " << std::left << std::setw(12) << stage.id << " " << std::setw(24)
               << record.plugin << " " << std::fixed << std::setprecision(3) << record.seconds
               << " s\n";
    }
  }
  outcome.root_hash = run_root_hash(header.identity_sha256, record_hashes);
  RunEnding ending{utc_now(kIsoTime),
                   seconds_since(run_start),
                   writer.seconds_spent(),
                   outcome.root_hash,
                   "",
                   ""};
  outcome.run_file = writer.finish_complete(ending);
  outcome.ok = true;
  if (!options.quiet) {
    progress << "run " << header.run_id << " complete in " << std::fixed << std::setprecision(3)
             << ending.seconds << " s (store " << ending.store_seconds << " s)\n";
  }
  return outcome;
}

}  // namespace rxflow

#include "exec/run_recorder.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "exec/environment.h"
#include "rxflow/seed.h"
#include "store/provenance.h"
#include "support/errors.h"
#include "support/utc_time.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// Time of day to the second plus 6 hex digits that differ between runs
// started in the same second, by any process or thread (not drawn from any
// experiment's generator).
std::string make_run_id() {
  static std::atomic<std::uint64_t> started{0};
  const auto ticks = std::chrono::system_clock::now().time_since_epoch().count();
  const std::uint64_t salt =
      derive_seed(static_cast<std::uint64_t>(ticks),
                  std::to_string(getpid()) + "/" + std::to_string(started.fetch_add(1)));
  std::ostringstream id;
  id << utc_now("%Y%m%d-%H%M%S") << "-" << std::hex << std::setw(6) << std::setfill('0')
     << (salt & 0xffffff);
  return id.str();
}

StageRecord identity_record(const PlannedStage& stage) {
  const PluginInfo& info = stage.plugin->info;
  StageRecord record;
  record.id = stage.id;
  record.plugin = info.name;
  record.plugin_kind = info.kind.name;
  record.renders = info.kind.renders;
  record.plugin_version = info.version;
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
  for (const ParamRow& row : stage.rows) record.rows.push_back(format_param_row(row));
  return record;
}

bool is_metrics_port(const PluginInfo& info, const std::string& name) {
  for (const PortSpec& port : info.outputs) {
    if (port.name == name) return port.metrics;
  }
  return false;
}

}  // namespace

RunRecorder::RunRecorder(const Plan& plan, const std::string& folder, const ReplayOrigin& replay_of,
                         const StoreOptions& options, const NamedText& tags) {
  RunHeader header;
  header.workflow_name = plan.spec.name;
  header.workflow_path = plan.spec.path;
  header.workflow_text = plan.spec.text;
  header.resolved_workflow = plan.resolved_workflow;
  header.overrides = plan.spec.overrides;
  header.root_seed = plan.root_seed;
  header.seed_was_drawn = plan.seed_was_drawn;
  header.engine_version = engine_version();
  header.git_commit = git_commit();
  header.identity_sha256 =
      run_identity_sha256(header.resolved_workflow, header.engine_version, header.git_commit);
  header.started_at = utc_now(kIsoTime);
  header.environment = collect_environment();
  header.replay_of = replay_of;
  header.tags = tags;
  identity_sha256_ = header.identity_sha256;
  workflow_dir_ = folder;
  // A run id taken by another run (the file exists) is drawn again.
  for (int attempt = 0; !writer_; ++attempt) {
    header.run_id = make_run_id();
    const std::string final_path = (fs::path(workflow_dir_) / (header.run_id + ".h5")).string();
    std::error_code ignored;
    if (fs::exists(final_path, ignored) && attempt < 100) continue;
    try {
      writer_ = std::make_unique<RunWriter>(final_path, header, options);
    } catch (const InputError&) {
      const std::string partial =
          (fs::path(workflow_dir_) / ("." + header.run_id + ".h5.partial")).string();
      if (!fs::exists(partial, ignored) || attempt >= 100) throw;
    }
  }
  run_id_ = header.run_id;
  staging_dir_ = (fs::path(workflow_dir_) / ("." + run_id_ + ".d.partial")).string();
  run_info_.run_id = run_id_;
  run_info_.workflow = plan.spec.name;
  run_info_.description = plan.spec.description;
  run_info_.run_file = (fs::path(workflow_dir_) / (run_id_ + ".h5")).string();
  run_info_.engine_version = header.engine_version;
  run_info_.git_commit = header.git_commit;
  run_info_.started_at = header.started_at;
  run_info_.root_seed = plan.root_seed;
  for (const PlannedStage& stage : plan.stages) {
    const PluginInfo& info = stage.plugin->info;
    run_info_.stages.push_back({stage.id, info.name, info.version, info.kind.name, stage.seed});
  }
}

const RunInfo& RunRecorder::run_info_for(const PlannedStage& stage) {
  if (stage.renders() && run_info_.root_hash.empty()) {
    run_info_.root_hash = run_root_hash(identity_sha256_, chain_);
  }
  return run_info_;
}

StageRecord RunRecorder::identity_with_inputs(const PlannedStage& stage) const {
  StageRecord record = identity_record(stage);
  for (const PlannedInput& input : stage.inputs) {
    record.input_hashes.emplace_back(input.port, hashes_.at(input.stage + "." + input.output));
  }
  return record;
}

std::string RunRecorder::reuse_key(const PlannedStage& stage) const {
  return stage_reuse_key(identity_with_inputs(stage), run_info_.engine_version,
                         run_info_.git_commit);
}

void RunRecorder::record_stage(const PlannedStage& stage, const StageResult& result) {
  StageRecord record = identity_with_inputs(stage);
  record.reused_from_run = result.reused_from_run;
  record.reused_from_stage = result.reused_from_stage;
  record.seconds = result.seconds;
  record.log = result.log;
  record.error = result.error;
  record.status = result.error.empty() ? "complete" : "failed";
  static const std::vector<std::pair<std::string, Artifact>> kNone;
  const bool ok = result.error.empty();
  if (ok) {
    for (const auto& [name, artifact] : result.outputs) {
      const std::string sha256 = artifact_sha256(artifact);
      const bool metrics = is_metrics_port(stage.plugin->info, name);
      if (metrics) add_headline_metrics(metrics_, stage.id, artifact);
      record.outputs.push_back({name, artifact.dtype(), artifact.shape, sha256, metrics});
      hashes_[stage.id + "." + name] = sha256;
    }
  }
  const std::string record_sha256 = stage_record_sha256(record, kRunFormatVersion);
  writer_->write_stage(record, ok ? result.outputs : kNone, record_sha256);
  if (!stage.renders() && result.error.empty()) chain_.push_back(record_sha256);
}

void RunRecorder::move_staging_dir(const std::string& suffix) {
  std::error_code error;
  if (!fs::exists(staging_dir_, error)) return;
  const fs::path target = fs::path(workflow_dir_) / (run_id_ + suffix);
  fs::rename(staging_dir_, target, error);
  if (error) {
    throw StoreError(staging_dir_ + ": cannot move the run's folder to " + target.string() + " (" +
                     error.message() + ")");
  }
}

std::string RunRecorder::complete(double seconds) {
  root_hash_ = run_root_hash(identity_sha256_, chain_);
  const std::string path = writer_->finish_complete(
      RunEnding{utc_now(kIsoTime), seconds, writer_->seconds_spent(), root_hash_, "", ""});
  move_staging_dir("");
  return path;
}

std::string RunRecorder::fail(const std::string& stage, const std::string& error, double seconds) {
  const std::string path = writer_->finish_failed(
      RunEnding{utc_now(kIsoTime), seconds, writer_->seconds_spent(), "", stage, error});
  move_staging_dir(".failed");
  return path;
}

}  // namespace rxflow

// RunRecorder: the one place that hashes a run and writes its file. It
// picks the run's id, writes the header, and for each finished stage hashes
// the outputs, writes them with the stage's record (identity and context,
// store/stage_record.h), and chains the records into the root hash; it ends
// the file as complete or failed and then moves the run's folder for people
// into place. One recorder per run, used by the thread executing the run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exec/stage_runner.h"
#include "plan/plan.h"
#include "rxflow/run_info.h"
#include "store/headline_metrics.h"
#include "store/run_writer.h"

namespace rxflow {

class RunRecorder {
 public:
  // Creates <folder>/.<run-id>.h5.partial. Throws InputError when it
  // cannot be created.
  RunRecorder(const Plan& plan, const std::string& folder, const ReplayOrigin& replay_of,
              const StoreOptions& options, const NamedText& tags);

  const std::string& run_id() const { return run_id_; }
  // What the stage about to run sees of the run: rendering stages, which run
  // after every other, see the final root hash.
  const RunInfo& run_info_for(const PlannedStage& stage);
  // The folder for files meant for people, while the run goes on.
  const std::string& staging_dir() const { return staging_dir_; }
  // The content hash of an output recorded earlier ("stage.output").
  const std::string& output_hash(const std::string& key) const { return hashes_.at(key); }
  // The stage's reuse key (store/provenance.h). REQUIRES: its inputs recorded.
  std::string reuse_key(const PlannedStage& stage) const;

  // Writes the stage's outputs and record. result.error set: the record
  // says failed. Throws StoreError when the file cannot be written.
  void record_stage(const PlannedStage& stage, const StageResult& result);
  // Both return the final path; the folder for people becomes <run-id>/
  // (complete) or <run-id>.failed/ beside it.
  std::string complete(double seconds);
  std::string fail(const std::string& stage, const std::string& error, double seconds);
  double store_seconds() const { return writer_->seconds_spent(); }
  const std::string& root_hash() const { return root_hash_; }  // after complete()
  const std::string& identity_sha256() const { return identity_sha256_; }
  // The metrics tables recorded so far.
  const std::vector<HeadlineMetric>& metrics() const { return metrics_; }

 private:
  StageRecord identity_with_inputs(const PlannedStage& stage) const;
  void move_staging_dir(const std::string& suffix);

  std::string run_id_;
  std::string workflow_dir_;
  std::string staging_dir_;
  RunInfo run_info_;
  std::string identity_sha256_;
  std::unique_ptr<RunWriter> writer_;
  std::map<std::string, std::string> hashes_;  // "stage.output" -> artifact sha256
  std::vector<std::string> chain_;             // non-rendering record hashes, in run order
  std::string root_hash_;
  std::vector<HeadlineMetric> metrics_;
};

}  // namespace rxflow

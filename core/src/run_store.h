// The run store: one HDF5 file per run, laid out as docs/run-format.md
// says and readable with h5dump or h5py alone. RunWriter writes under a
// temporary name (.<run-id>.h5.partial) and renames the file into place only
// when the run finished: <run-id>.h5 when complete, <run-id>.failed.h5 with
// the error when a stage failed, so no file looks complete that is not.
// RunReader reads any of them back. Neither is thread-safe; the HDF5 library
// is built without thread-safety on Debian, so use one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "stage_record.h"

namespace rxflow {

struct StoreOptions {
  int deflate_level = 0;                   // 0: no compression; 1..9: gzip level
  std::uint64_t chunk_bytes = 1ull << 20;  // target chunk size when compressing
};

struct RunHeader {
  std::string run_id;
  std::string workflow_name;
  std::string workflow_path;
  std::string workflow_text;      // the file as written
  std::string resolved_workflow;  // defaults filled, overrides applied
  std::vector<std::string> overrides;
  std::uint64_t root_seed = 0;
  bool seed_was_drawn = false;
  std::string identity_sha256;
  std::string engine_version;
  std::string git_commit;
  std::string started_at;  // ISO 8601, UTC
  NamedText environment;   // context: host, CPU, compiler, libraries
};

struct RunEnding {
  std::string finished_at;  // ISO 8601, UTC
  double seconds = 0;
  double store_seconds = 0;  // time spent in RunWriter
  std::string root_hash;     // complete runs only
  std::string failed_stage;  // failed runs only
  std::string error;         // failed runs only
};

class RunWriter {
 public:
  // Throws InputError when the folder cannot be created or written.
  RunWriter(const std::string& final_path, const RunHeader& header, StoreOptions options);
  ~RunWriter();  // a writer never finished leaves its .partial file behind
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void write_artifact(const std::string& stage, const std::string& name, const Artifact& artifact,
                      const std::string& sha256);
  // After the stage's artifacts; stages are written in run order.
  void write_stage(const StageRecord& record, const std::string& record_sha256);
  // Both return the final path of the file.
  std::string finish_complete(const RunEnding& ending);
  std::string finish_failed(const RunEnding& ending);

  double seconds_spent() const { return seconds_spent_; }

 private:
  struct File;
  std::unique_ptr<File> file_;
  std::string final_path_;
  std::string temp_path_;
  StoreOptions options_;
  std::vector<std::string> stage_order_;
  double seconds_spent_ = 0;
};

struct StoredStage {
  StageRecord record;
  std::string record_sha256;
};

class RunReader {
 public:
  // Throws InputError: missing, not HDF5, or not an rxflow run file.
  explicit RunReader(const std::string& path);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  const std::string& path() const { return path_; }
  // Root attributes (status, run_id, workflow, seeds, hashes, times), as text.
  NamedText attributes() const;
  std::string attribute(const std::string& name) const;  // "" when absent
  NamedText environment() const;
  std::string workflow_text() const;
  std::string resolved_workflow() const;
  std::vector<std::string> overrides() const;
  std::vector<StoredStage> stages() const;  // in run order
  Artifact read_artifact(const std::string& stage, const std::string& name) const;

 private:
  struct File;
  std::unique_ptr<File> file_;
  std::string path_;
};

// "HDF5 1.10.8".
std::string hdf5_library_version();

}  // namespace rxflow

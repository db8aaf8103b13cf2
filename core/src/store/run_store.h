// The run store: one HDF5 file per run, laid out as docs/run-format.md
// says and readable with h5dump or h5py alone. RunWriter writes under a
// temporary name (.<run-id>.h5.partial) and renames the file into place only
// when the run finished: <run-id>.h5 when complete, <run-id>.failed.h5 with
// the error when a stage failed, so no file looks complete that is not.
// RunReader reads any of them back. Neither is thread-safe; the HDF5 library
// is built without thread-safety on Debian, so use one at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "store/stage_record.h"

namespace rxflow {

struct StoreOptions {
  int deflate_level = 0;                   // 0: no compression; 1..9: gzip level
  std::uint64_t chunk_bytes = 1ull << 20;  // target chunk size when compressing
};

// What a replay records about the run it replays.
struct ReplayOrigin {
  std::string run_id;
  std::string root_hash;
  std::vector<std::string> drift;  // each difference allowed by --allow-drift, one line each
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
  ReplayOrigin replay_of;  // replays only (run_id empty otherwise)
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

// An artifact's description without its values.
struct ArtifactLayout {
  DType dtype = DType::kFloat64;
  std::vector<std::uint64_t> shape;
  std::vector<std::string> columns;
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
  std::string attribute(const std::string& name) const;                    // "" when absent
  std::vector<std::string> list_attribute(const std::string& name) const;  // {} when absent
  NamedText environment() const;
  std::string workflow_path() const;  // the workflow file as given to rxflow run
  std::string workflow_text() const;
  std::string resolved_workflow() const;
  std::vector<std::string> overrides() const;
  std::vector<StoredStage> stages() const;  // in run order
  Artifact read_artifact(const std::string& stage, const std::string& name) const;
  // Dtype (as recorded), shape and columns.
  ArtifactLayout artifact_layout(const std::string& stage, const std::string& name) const;
  // A float64 or int64 artifact's values in row-major order, in blocks of
  // whole rows of about block_bytes: consume(values, count) with values
  // float64 or int64 as the recorded dtype says, then consume(nullptr, 0).
  // Two buffers alternate, so a block stays valid until consume returns for
  // the call after it (a consumer may work on one block while the next is
  // read); after the final consume(nullptr, 0) no block is valid.
  void read_value_blocks(const std::string& stage, const std::string& name, std::size_t block_bytes,
                         const std::function<void(const void*, std::size_t)>& consume) const;

 private:
  struct File;
  std::unique_ptr<File> file_;
  std::string path_;
};

// "HDF5 1.10.8".
std::string hdf5_library_version();

}  // namespace rxflow

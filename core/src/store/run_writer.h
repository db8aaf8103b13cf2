// RunWriter: writes one run file, laid out as docs/run-format.md says and
// readable with h5dump or h5py alone. The file is written under a temporary
// name (.<run-id>.h5.partial) and renamed into place only when the run
// ended: <run-id>.h5 when complete, <run-id>.failed.h5 with the error when a
// stage failed, so no file looks complete that is not. The file is sealed
// when it ends: the hash of everything it wrote (metadata_tree.h). Files use HDF5's 1.8 format,
// whose metadata is checksummed, and stay locked for writing until they end. One writer per file,
// used by one thread at a time; writers of different files may run on different threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/metadata_tree.h"
#include "store/run_file.h"

namespace rxflow {

// A write the file system refused (a full disk, a lost folder): the run
// file cannot be finished. The partial file has been removed.
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RunWriter {
 public:
  // Throws InputError when the folder cannot be created or the file not
  // created in it.
  RunWriter(const std::string& final_path, const RunHeader& header, StoreOptions options);
  // A writer destroyed before it finished (the process is being
  // interrupted) closes the file and leaves the .partial file behind.
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // A stage's artifacts (as many as record.outputs, which gives their
  // hashes, in the same order) and its record, in one write: the store's
  // lock is taken once per stage, not once per artifact. Stages are written
  // in run order. Throws StoreError after removing the partial file.
  void write_stage(const StageRecord& record,
                   const std::vector<std::pair<std::string, Artifact>>& outputs,
                   const std::string& record_sha256);
  // Both seal, close and rename the file, and return its final path; both
  // throw StoreError after removing the partial file.
  std::string finish_complete(const RunEnding& ending);
  std::string finish_failed(const RunEnding& ending);

  const std::string& temp_path() const { return temp_path_; }
  double seconds_spent() const { return seconds_spent_; }

 private:
  struct File;
  void write_artifact(const std::string& name, const Artifact& artifact,
                      const ArtifactRecord& record);
  std::string finish(const std::string& status, const RunEnding& ending,
                     const std::string& final_path);
  // Runs one write; on failure removes the partial file and throws StoreError.
  template <typename Body>
  void write(const std::string& what, Body body);

  std::unique_ptr<File> file_;
  RunHeader header_;
  std::string final_path_;
  std::string temp_path_;
  StoreOptions options_;
  std::vector<std::string> stage_order_;
  MetadataTree tree_;  // what has been written, for the seal
  double seconds_spent_ = 0;
};

// "HDF5 1.10.8", for the run's recorded context.
std::string hdf5_library_version();

}  // namespace rxflow

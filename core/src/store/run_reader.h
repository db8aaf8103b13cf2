// RunReader: reads a run file of any supported format version back
// (docs/run-format.md), whatever state it is in (running, complete,
// failed). Everything read from the file is checked before it is used: names
// are identifiers (a stage id "../x" never becomes a path), attributes have
// the types rxflow writes, datasets hold the values they claim (hdf5_io.h).
// A file that is not what rxflow writes gives InputError naming the file,
// the object, what was expected and what was found. One reader per thread;
// readers of different files may run on different threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/metadata_tree.h"
#include "store/run_file.h"

namespace rxflow {

// A float64 or int64 artifact read in blocks of whole rows (verify hashes
// large artifacts this way). The caller owns the buffers.
class ValueRows {
 public:
  ~ValueRows();
  ValueRows(ValueRows&&) noexcept;
  ValueRows(const ValueRows&) = delete;
  ValueRows& operator=(const ValueRows&) = delete;

  DType dtype() const { return layout_.dtype; }
  const ArtifactLayout& layout() const { return layout_; }
  std::uint64_t rows() const { return rows_; }              // 1 for a scalar
  std::uint64_t row_values() const { return row_values_; }  // values per row
  // Rows [first, first + count) as 8-byte values into out (count *
  // row_values() of them). Throws InputError when the file cannot give them.
  void read(std::uint64_t first, std::uint64_t count, void* out) const;

 private:
  friend class RunReader;
  struct Dataset;
  ValueRows(std::unique_ptr<Dataset> dataset, ArtifactLayout layout, std::uint64_t rows,
            std::uint64_t row_values);
  std::unique_ptr<Dataset> dataset_;
  ArtifactLayout layout_;
  std::uint64_t rows_ = 0;
  std::uint64_t row_values_ = 0;
};

class RunReader {
 public:
  // Throws InputError: missing, not HDF5, unreadable, not an rxflow run
  // file, or a format version this rxflow does not know.
  explicit RunReader(const std::string& path);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t format_version() const { return format_version_; }
  // Root attributes (status, run_id, workflow, seeds, hashes, times), as text.
  NamedText attributes() const;
  std::string attribute(const std::string& name) const;  // "" when absent
  NamedText environment() const;
  NamedText tags() const;  // {} when the run has none
  std::string workflow_path() const;  // the workflow file as given to rxflow run
  std::string workflow_text() const;
  std::string resolved_workflow() const;
  std::vector<std::string> overrides() const;
  std::vector<std::string> drift() const;  // replays only
  // The stage ids in run order as recorded when the run ended; empty for a
  // run that did not end.
  std::vector<std::string> stage_order() const;
  // Every stage group in the file, in name order.
  std::vector<std::string> stage_groups() const;
  StoredStage read_stage(const std::string& id) const;
  // The recorded order's stages (the groups found, for a run that did not end).
  std::vector<StoredStage> stages() const;
  Artifact read_artifact(const std::string& stage, const std::string& name) const;
  // Dtype (as recorded), shape and columns, checked against the dataset.
  ArtifactLayout artifact_layout(const std::string& stage, const std::string& name) const;
  // Everything the file records but numeric values (metadata_tree.h), for
  // the seal.
  MetadataTree metadata_tree() const;
  // REQUIRES: a float64 or int64 artifact (InputError otherwise).
  ValueRows value_rows(const std::string& stage, const std::string& name) const;

 private:
  struct File;
  std::unique_ptr<File> file_;
  std::string path_;
  std::uint64_t format_version_ = 0;
};

}  // namespace rxflow

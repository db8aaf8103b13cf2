// The run file's vocabulary, shared by its writer and its reader: the
// format and its versions, the header written when a run starts, the ending
// written when it stops, and what the reader hands back. docs/run-format.md
// is the reference for the layout. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "store/stage_record.h"

namespace rxflow {

inline constexpr const char* kRunFormat = "rxflow-run";
// 1: rxflow before the engine-core change (global requests, stage order as
// an attribute, no seal). 2: requests are stage rows, the seal, the order
// and the drift as datasets, files in HDF5's 1.8 format with checksummed
// metadata. 3: named texts as lists of "name = value" lines, no dtype or
// producer attributes, nothing empty written. 4: a stage's record and its
// artifacts' hashes as such lists, the environment and tags as lists on the
// root (a sweep point's file holds 78 attributes instead of 231).
inline constexpr std::uint64_t kRunFormatVersion = 4;

// Whether a file name is a run's that ended (<run-id>.h5, <run-id>.failed.h5):
// not a sweep index, not a hidden file still being written.
inline bool is_ended_run_file_name(const std::string& name) {
  return name.ends_with(".h5") && name != "sweep.h5" && !name.starts_with(".");
}

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
  // Context a caller attaches (a sweep's name, the point's index and key),
  // written as /tags; sealed, not hashed into the root.
  NamedText tags;
};

struct RunEnding {
  std::string finished_at;  // ISO 8601, UTC
  double seconds = 0;
  double store_seconds = 0;  // time spent in RunWriter
  std::string root_hash;     // complete runs only
  std::string failed_stage;  // failed runs only
  std::string error;         // failed runs only
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

}  // namespace rxflow

// Provenance hashes, all SHA-256 as lowercase hex (docs/run-format.md gives
// the exact byte sequences):
// - artifact_sha256: the canonical content of an artifact (dtype, shape,
//   column names, values in little-endian order), never HDF5 file bytes, so
//   chunking or compression never changes it;
// - stage_record_sha256: a stage's identity fields;
// - stage_reuse_key: what makes a stage's outputs what they are wherever it
//   ran (the stage cache, exec/stage_cache.h);
// - run_root_hash: a chain over the run's identity and its stage records in
//   run order (rendering stages left out); any changed value, parameter,
//   seed or plugin hash changes it, and it is the same wherever and whenever
//   the same plan runs;
// The seal, over everything else the file records, is metadata_tree.h's.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "store/stage_record.h"
#include "support/sha256.h"

namespace rxflow {

std::string artifact_sha256(const Artifact& artifact);

// artifact_sha256 in pieces, for artifacts read block by block: the header
// (dtype, shape, columns), then every value in row-major order, then finish.
// Gives the same hash as artifact_sha256 of the whole artifact.
class ArtifactHasher {
 public:
  ArtifactHasher(DType dtype, const std::vector<std::uint64_t>& shape,
                 const std::vector<std::string>& columns);
  // float64 or int64 values as they are in memory (count * 8 bytes).
  void update_fixed_width(const void* values, std::size_t count);
  void update_string(const std::string& value);
  std::string finish();

 private:
  Sha256 hash_;
};

// format_version 1 hashes the fields of format 1 (no rows, no renders).
std::string stage_record_sha256(const StageRecord& record, std::uint64_t format_version);
// The stage record's identity without its id, its bindings (which stage an
// input came from) and its outputs, plus the engine the plugin ran in.
std::string stage_reuse_key(const StageRecord& record, const std::string& engine_version,
                            const std::string& git_commit);
// identity: the resolved workflow text, the engine version and git commit.
std::string run_identity_sha256(const std::string& resolved_workflow,
                                const std::string& engine_version, const std::string& git_commit);
std::string run_root_hash(const std::string& identity_sha256,
                          const std::vector<std::string>& stage_record_hashes);

// The first 12 hex digits of a hash, for messages and tables; "(none)" for
// an empty one.
std::string hash_prefix(const std::string& hash);

}  // namespace rxflow

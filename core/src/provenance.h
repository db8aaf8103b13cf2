// Provenance hashes, all SHA-256 as lowercase hex (docs/run-format.md gives
// the exact byte sequences):
// - artifact_sha256: the canonical content of an artifact (dtype, shape,
//   column names, values in little-endian order), never HDF5 file bytes, so
//   chunking or compression never changes it;
// - stage_record_sha256: a stage's identity fields;
// - run_root_hash: a chain over the run's identity and its stage records in
//   run order; any changed value, parameter, seed or plugin hash changes it.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "stage_record.h"

namespace rxflow {

std::string artifact_sha256(const Artifact& artifact);
std::string stage_record_sha256(const StageRecord& record);
// identity: the resolved workflow text, the engine version and git commit.
std::string run_identity_sha256(const std::string& resolved_workflow,
                                const std::string& engine_version, const std::string& git_commit);
std::string run_root_hash(const std::string& identity_sha256,
                          const std::vector<std::string>& stage_record_hashes);

}  // namespace rxflow

// Verification of a run file without running anything (docs/run-format.md,
// "What verify proves"): the file is complete against its own resolved
// workflow (every planned stage recorded, in order, nothing extra; a failed
// run's records stop at the stage that failed), every artifact's stored
// values are rehashed and compared with the recorded hash, every stage
// record is rehashed and compared with the workflow it claims (plugin,
// parameters, bindings, rows, seed), inputs with the artifacts they name, and
// the run's identity, root hash and seal (run id, status and error, order,
// overrides, format version) are recomputed. Large artifacts are read in
// blocks while the previous block is hashed. Pure functions of the file;
// thread-safe for different readers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow {

struct VerifyResult {
  std::vector<std::string> problems;  // one line each, naming what does not match
  std::vector<std::string> notes;     // what the file's format cannot prove (format 1)
  std::uint64_t artifacts = 0;        // artifacts rehashed
  std::uint64_t stages = 0;           // stage records rehashed
  std::uint64_t value_bytes = 0;      // bytes of float64 and int64 values hashed
  std::string root_hash;              // as recomputed; empty for a run that did not complete
  bool ok() const { return problems.empty(); }
};

VerifyResult verify_run(const RunReader& reader);

// The content hash of a stored artifact, recomputed from the file's values.
// Throws InputError when they cannot be read.
std::string stored_artifact_sha256(const RunReader& reader, const std::string& stage,
                                   const std::string& name, std::uint64_t* value_bytes = nullptr);

}  // namespace rxflow

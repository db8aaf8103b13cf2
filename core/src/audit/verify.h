// Verification of a run file without running anything: every artifact's
// content is rehashed and compared with its recorded hash, every stage
// record is rehashed, inputs are checked against the artifacts they name,
// the parameters and seeds against the resolved workflow, and the run's
// identity and root hash are recomputed (docs/run-format.md). Large
// artifacts are read in blocks while the previous block is hashed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_store.h"

namespace rxflow {

struct VerifyResult {
  std::vector<std::string> problems;  // one line each, naming what does not match
  std::uint64_t artifacts = 0;        // artifacts rehashed
  std::uint64_t stages = 0;           // stage records rehashed
  std::uint64_t value_bytes = 0;      // bytes of float64 and int64 values hashed
  std::string root_hash;              // as recomputed; empty for a run that did not complete
};

VerifyResult verify_run(const RunReader& reader);

// The content hash of a stored artifact, recomputed from the file.
std::string stored_artifact_sha256(const RunReader& reader, const std::string& stage,
                                   const std::string& name, std::uint64_t* value_bytes = nullptr);

}  // namespace rxflow

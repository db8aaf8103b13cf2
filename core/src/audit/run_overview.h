// RunOverview: what a listing shows of one run file, read back from it: the
// run's attributes (when it started, workflow, run id, root seed, status,
// root hash, error) and the drugs that fell back to a generated embedding;
// with its headline metrics (audit/run_headline.h), `rxflow log` lists runs
// with it and rxflow serve's history and pages show them. Plain values and
// functions.
#pragma once

#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow {

struct RunOverview {
  std::string started_at;
  std::string workflow;
  std::string run_id;
  std::string seed;  // the root seed, as stored
  std::string status;
  std::string root_hash;  // complete runs
  std::string error;      // failed runs
};

// Reads the attributes only (not the stages), so that a file whose stages
// cannot be read still shows them. Throws what the reader throws.
RunOverview run_overview(const RunReader& reader);

// The unknown_drugs outputs of the run's embedding stages, in run order:
// requested drugs the embedding table lacked, which got generated
// embeddings. Reads those artifacts.
std::vector<std::string> generated_embedding_drugs(const RunReader& reader,
                                                   const std::vector<StoredStage>& stages);

}  // namespace rxflow

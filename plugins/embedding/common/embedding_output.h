// What every embedding plugin does once its drug table is known: find each
// request's drug (by canonical name), apply the unknown-drug policy, and
// emit the four outputs of the embedding contract. Under the "generate"
// policy an unknown drug gets the synthetic provider's vector for its name
// (synthetic_embeddings::embedding_for with the given seed), is appended to
// the table and listed in unknown_drugs, the curation log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rxflow/port.h"
#include "rxflow/stage_context.h"

namespace rxflow::embedding {

// The four outputs of the embedding contract, described for a table-based
// provider ("the table's drugs, then unknown requested drugs", ...).
std::vector<PortSpec> table_embedding_outputs();

struct DrugTable {
  std::vector<std::string> names;  // as the table writes them
  std::vector<double> vectors;     // row-major (names.size(), width)
  int width = 0;
};

// policy: "generate" or "error". source names the table in messages
// ("the dictionary", "drugs.csv"). Throws std::runtime_error for an unknown
// drug under "error", naming the request, the drug and the source.
void emit_embeddings(StageContext& ctx, DrugTable table, const std::string& policy,
                     std::uint64_t unknown_seed, const std::string& source);

}  // namespace rxflow::embedding

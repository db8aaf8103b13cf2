// What every embedding plugin does once its drug table is known: find each
// request's drug (by canonical name), apply the unknown-drug policy, and
// emit the four outputs of the embedding contract. Under the "generate"
// policy an unknown drug gets the synthetic provider's vector for its name
// (synthetic_embeddings::embedding_for with the given seed), is appended to
// the table and listed in unknown_drugs, the curation log. The same
// function names the drugs when the plan is checked, so an unknown drug
// under the "error" policy, or an empty or broken table, is bad input
// before anything runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rxflow/plan_check.h"
#include "rxflow/port.h"
#include "rxflow/stage_context.h"

namespace rxflow::embedding {

// The inputs every table-based provider takes: the requests' drugs.
std::vector<PortSpec> request_inputs();
// The four outputs of the embedding contract, described for a table-based
// provider ("the table's drugs, then unknown requested drugs", ...).
std::vector<PortSpec> table_embedding_outputs();

struct DrugTable {
  std::vector<std::string> names;  // as the table writes them
  std::vector<double> vectors;     // row-major (names.size(), width)
  int width = 0;
};

// The table's names, then each unknown requested drug (canonical name), and
// the row of each request.
struct DrugIndex {
  std::vector<std::string> names;
  std::vector<std::string> unknown;
  std::vector<std::size_t> request_rows;
};

// policy: "generate" or "error". source names the table in messages
// ("the dictionary", "drugs.csv"). Throws std::runtime_error for a table
// without drugs, and for an unknown drug under "error", naming the request,
// the drug and the source.
DrugIndex index_requests(const std::vector<std::string>& table_names,
                         const std::vector<std::string>& request_drugs, const std::string& policy,
                         const std::string& source);

// At plan time: declares drug_names and unknown_drugs when the requests'
// drugs are known (or no requests are bound).
void declare_drug_names(PlanCheck& ctx, const std::vector<std::string>& table_names,
                        const std::string& policy, const std::string& source);

// At run time: emits the four outputs.
void emit_embeddings(StageContext& ctx, DrugTable table, const std::string& policy,
                     std::uint64_t unknown_seed, const std::string& source);

}  // namespace rxflow::embedding

#include "embedding_output.h"

#include <map>
#include <stdexcept>

#include "rxflow/drug_name.h"
#include "synthetic_embeddings.h"

namespace rxflow::embedding {

std::vector<PortSpec> table_embedding_outputs() {
  return {
      {"drug_names", DType::kString, 1, "the table's drugs, then unknown requested drugs", false},
      {"embeddings", DType::kFloat64, 2, "one row per drug name (n_drugs, width)", false},
      {"request_embeddings", DType::kFloat64, 2, "the drug row of each request (n_requests, width)",
       false},
      {"unknown_drugs", DType::kString, 1, "requested drugs not in the table (curation log)",
       false}};
}

void emit_embeddings(StageContext& ctx, DrugTable table, const std::string& policy,
                     std::uint64_t unknown_seed, const std::string& source) {
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < table.names.size(); ++i)
    row_of[canonical_drug_name(table.names[i])] = i;
  const auto width = static_cast<std::size_t>(table.width);
  std::vector<std::string> unknown;
  std::vector<std::size_t> request_rows;
  for (const Request& request : ctx.requests()) {
    const std::string canonical = canonical_drug_name(request.drug);
    auto found = row_of.find(canonical);
    if (found == row_of.end()) {
      if (policy == "error") {
        throw std::runtime_error("request \"" + request.patient_id + "\": drug \"" + request.drug +
                                 "\" is not in " + source + " (unknown_drug = \"error\")");
      }
      found = row_of.emplace(canonical, table.names.size()).first;
      table.names.push_back(canonical);
      const std::vector<double> generated =
          synthetic_embeddings::embedding_for(canonical, unknown_seed, table.width);
      table.vectors.insert(table.vectors.end(), generated.begin(), generated.end());
      unknown.push_back(canonical);
      ctx.log("unknown drug \"" + canonical + "\" (request \"" + request.patient_id +
              "\"): generated embedding, logged for curation");
    }
    request_rows.push_back(found->second);
  }
  std::vector<double> requested;
  for (std::size_t row : request_rows) {
    requested.insert(requested.end(),
                     table.vectors.begin() + static_cast<std::ptrdiff_t>(row * width),
                     table.vectors.begin() + static_cast<std::ptrdiff_t>((row + 1) * width));
  }
  const std::uint64_t n_drugs = table.names.size(), n_requests = request_rows.size();
  ctx.emit("drug_names", Artifact::vector(std::move(table.names)));
  ctx.emit("embeddings", Artifact::matrix(n_drugs, width, std::move(table.vectors)));
  ctx.emit("request_embeddings", Artifact::matrix(n_requests, width, std::move(requested)));
  ctx.emit("unknown_drugs", Artifact::vector(std::move(unknown)));
}

}  // namespace rxflow::embedding

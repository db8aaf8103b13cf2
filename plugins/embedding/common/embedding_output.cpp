#include "embedding_output.h"

#include <map>
#include <stdexcept>

#include "drug_name.h"
#include "synthetic_embeddings.h"

namespace rxflow::embedding {
namespace {

std::vector<std::string> request_drugs_of(const StageContext& ctx) {
  if (!ctx.has_input("request_drugs")) return {};
  return std::get<std::vector<std::string>>(ctx.input("request_drugs").values);
}

}  // namespace

std::vector<PortSpec> request_inputs() {
  return {{"request_drugs", DType::kString, 1, "the drug of each request", true}};
}

std::vector<PortSpec> table_embedding_outputs() {
  return {
      {"drug_names", DType::kString, 1, "the table's drugs, then unknown requested drugs", false},
      {"embeddings", DType::kFloat64, 2, "one row per drug name (n_drugs, width)", false},
      {"request_embeddings", DType::kFloat64, 2, "the drug row of each request (n_requests, width)",
       false},
      {"unknown_drugs", DType::kString, 1, "requested drugs not in the table (curation log)",
       false}};
}

DrugIndex index_requests(const std::vector<std::string>& table_names,
                         const std::vector<std::string>& request_drugs, const std::string& policy,
                         const std::string& source) {
  if (table_names.empty()) throw std::runtime_error(source + " holds no drugs");
  DrugIndex index;
  index.names = table_names;
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < table_names.size(); ++i) {
    row_of[canonical_drug_name(table_names[i])] = i;
  }
  for (std::size_t r = 0; r < request_drugs.size(); ++r) {
    const std::string canonical = canonical_drug_name(request_drugs[r]);
    auto found = row_of.find(canonical);
    if (found == row_of.end()) {
      if (policy == "error") {
        throw std::runtime_error("request " + std::to_string(r + 1) + ": drug \"" +
                                 request_drugs[r] + "\" is not in " + source +
                                 " (unknown_drug = \"error\")");
      }
      found = row_of.emplace(canonical, index.names.size()).first;
      index.names.push_back(canonical);
      index.unknown.push_back(canonical);
    }
    index.request_rows.push_back(found->second);
  }
  return index;
}

void declare_drug_names(PlanCheck& ctx, const std::vector<std::string>& table_names,
                        const std::string& policy, const std::string& source) {
  const Artifact* requested = ctx.known_input("request_drugs");
  if (ctx.has_input("request_drugs") && requested == nullptr) {
    (void)index_requests(table_names, {}, policy, source);  // the table alone can be checked
    return;
  }
  const std::vector<std::string> drugs = requested
                                             ? std::get<std::vector<std::string>>(requested->values)
                                             : std::vector<std::string>{};
  DrugIndex index = index_requests(table_names, drugs, policy, source);
  ctx.declare_output("drug_names", Artifact::vector(std::move(index.names)));
  ctx.declare_output("unknown_drugs", Artifact::vector(std::move(index.unknown)));
}

void emit_embeddings(StageContext& ctx, DrugTable table, const std::string& policy,
                     std::uint64_t unknown_seed, const std::string& source) {
  DrugIndex index = index_requests(table.names, request_drugs_of(ctx), policy, source);
  const auto width = static_cast<std::size_t>(table.width);
  for (const std::string& canonical : index.unknown) {
    const std::vector<double> generated =
        synthetic_embeddings::embedding_for(canonical, unknown_seed, table.width);
    table.vectors.insert(table.vectors.end(), generated.begin(), generated.end());
    ctx.log("unknown drug \"" + canonical + "\": generated embedding, logged for curation");
  }
  std::vector<double> requested;
  for (std::size_t row : index.request_rows) {
    requested.insert(requested.end(),
                     table.vectors.begin() + static_cast<std::ptrdiff_t>(row * width),
                     table.vectors.begin() + static_cast<std::ptrdiff_t>((row + 1) * width));
  }
  const std::uint64_t n_drugs = index.names.size(), n_requests = index.request_rows.size();
  ctx.emit("drug_names", Artifact::vector(std::move(index.names)));
  ctx.emit("embeddings", Artifact::matrix(n_drugs, width, std::move(table.vectors)));
  ctx.emit("request_embeddings", Artifact::matrix(n_requests, width, std::move(requested)));
  ctx.emit("unknown_drugs", Artifact::vector(std::move(index.unknown)));
}

}  // namespace rxflow::embedding

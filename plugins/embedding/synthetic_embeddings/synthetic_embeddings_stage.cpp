// The synthetic_embeddings plugin: the dictionary's drugs plus any unknown
// drug of the workflow's requests, each with its fixed synthetic vector.
#include <map>

#include "rxflow/drug_name.h"
#include "rxflow/plugin_registration.h"
#include "synthetic_embeddings.h"

namespace rxflow::synthetic_embeddings {
namespace {

class SyntheticEmbeddingsStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {
        "synthetic_embeddings",
        PluginKind::kEmbedding,
        "0.1.0",
        "fixed pseudo-random drug embeddings (seed paper, Section 5.2)",
        {},
        {{"drug_names", DType::kString, 1, "dictionary drugs, then unknown requested drugs", false},
         {"embeddings", DType::kFloat64, 2, "one row per drug name (n_drugs, dim)", false},
         {"request_embeddings", DType::kFloat64, 2,
          "the drug row of each request (n_requests, dim)", false},
         {"unknown_drugs", DType::kString, 1,
          "requested drugs not in the dictionary (curation log)", false}},
        {ParamSpec::integer("dim", 32, 1, 4096, "embedding dimension"),
         ParamSpec::file("dictionary", "synthetic_drugs.txt",
                         "drug names, one per line (looked up beside the workflow, then in data/)"),
         ParamSpec::integer("table_seed", 20240521, 0, 4'611'686'018'427'387'904LL,
                            "seeds every drug's vector; independent of the run seed so a drug "
                            "keeps its vector across runs"),
         ParamSpec::choice("unknown_drug", "generate", {"generate", "error"},
                           "a requested drug not in the dictionary: give it a generated vector "
                           "(and log it), or fail")},
    };
  }

  void run(StageContext& ctx) override {
    const int dim = static_cast<int>(ctx.param_int("dim"));
    const auto table_seed = static_cast<std::uint64_t>(ctx.param_int("table_seed"));
    std::vector<std::string> names =
        parse_dictionary(ctx.read_file_param("dictionary"), ctx.param_string("dictionary"));
    std::map<std::string, std::size_t> row_of;
    for (std::size_t i = 0; i < names.size(); ++i) row_of[canonical_drug_name(names[i])] = i;

    std::vector<std::string> unknown;
    std::vector<std::size_t> request_rows;
    for (const Request& request : ctx.requests()) {
      const std::string canonical = canonical_drug_name(request.drug);
      auto found = row_of.find(canonical);
      if (found == row_of.end()) {
        if (ctx.param_string("unknown_drug") == "error") {
          throw std::runtime_error("request \"" + request.patient_id + "\": drug \"" +
                                   request.drug +
                                   "\" is not in the dictionary (unknown_drug = \"error\")");
        }
        found = row_of.emplace(canonical, names.size()).first;
        names.push_back(canonical);
        unknown.push_back(canonical);
        ctx.log("unknown drug \"" + canonical + "\" (request \"" + request.patient_id +
                "\"): generated embedding, logged for curation");
      }
      request_rows.push_back(found->second);
    }

    std::vector<double> table;
    table.reserve(names.size() * static_cast<std::size_t>(dim));
    for (const std::string& name : names) {
      const std::vector<double> row = embedding_for(canonical_drug_name(name), table_seed, dim);
      table.insert(table.end(), row.begin(), row.end());
    }
    std::vector<double> requested;
    for (std::size_t row : request_rows) {
      requested.insert(requested.end(), table.begin() + static_cast<std::ptrdiff_t>(row * dim),
                       table.begin() + static_cast<std::ptrdiff_t>((row + 1) * dim));
    }
    const std::uint64_t n_drugs = names.size(), n_requests = request_rows.size();
    ctx.emit("drug_names", Artifact::vector(std::move(names)));
    ctx.emit("embeddings", Artifact::matrix(n_drugs, dim, std::move(table)));
    ctx.emit("request_embeddings", Artifact::matrix(n_requests, dim, std::move(requested)));
    ctx.emit("unknown_drugs", Artifact::vector(std::move(unknown)));
  }
};

}  // namespace
}  // namespace rxflow::synthetic_embeddings

RXFLOW_PLUGIN(rxflow::synthetic_embeddings::SyntheticEmbeddingsStage)

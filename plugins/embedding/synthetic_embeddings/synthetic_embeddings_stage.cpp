// The synthetic_embeddings plugin: the dictionary's drugs plus any unknown
// drug of the requests, each with its fixed synthetic vector.
#include "drug_name.h"
#include "embedding_output.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "synthetic_embeddings.h"

namespace rxflow::synthetic_embeddings {
namespace {

class SyntheticEmbeddingsStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {
        "synthetic_embeddings",
        kinds::embedding(),
        "0.1.0",
        "fixed pseudo-random drug embeddings (seed paper, Section 5.2)",
        embedding::request_inputs(),
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

  void check(PlanCheck& ctx) const override {
    embedding::declare_drug_names(
        ctx, parse_dictionary(ctx.read_file_param("dictionary"), ctx.param_string("dictionary")),
        ctx.param_string("unknown_drug"), "the dictionary");
  }

  void run(StageContext& ctx) override {
    const int dim = static_cast<int>(ctx.param_int("dim"));
    const auto table_seed = static_cast<std::uint64_t>(ctx.param_int("table_seed"));
    embedding::DrugTable table;
    table.names =
        parse_dictionary(ctx.read_file_param("dictionary"), ctx.param_string("dictionary"));
    table.width = dim;
    for (const std::string& name : table.names) {
      const std::vector<double> row = embedding_for(canonical_drug_name(name), table_seed, dim);
      table.vectors.insert(table.vectors.end(), row.begin(), row.end());
    }
    embedding::emit_embeddings(ctx, std::move(table), ctx.param_string("unknown_drug"), table_seed,
                               "the dictionary");
  }
};

}  // namespace
}  // namespace rxflow::synthetic_embeddings

RXFLOW_PLUGIN(rxflow::synthetic_embeddings::SyntheticEmbeddingsStage)

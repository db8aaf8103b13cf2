// The table_embeddings plugin: drug vectors loaded from a table someone
// computed elsewhere (CSV or HDF5), with the same reductions and the same
// unknown-drug policy as rdkit_embeddings.
#include "embedding_table.h"
#include "reduction.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::table_embeddings {
namespace {

embedding::DrugTable read_table(const StageParams& ctx) {
  const std::string origin = ctx.param_string("table");
  return origin.ends_with(".h5") || origin.ends_with(".hdf5")
             ? hdf5_embeddings(ctx.read_tensor_file_param("table"), origin)
             : parse_csv_embeddings(ctx.read_file_param("table"), origin);
}

class TableEmbeddingsStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {
        "table_embeddings",
        kinds::embedding(),
        "0.1.0",
        "drug vectors from a precomputed table (CSV or HDF5) of name -> vector",
        embedding::request_inputs(),
        embedding::table_embedding_outputs(),
        {ParamSpec::required_file("table",
                                  "CSV with header name,<columns>... or HDF5 (*.h5) with datasets "
                                  "names and vectors"),
         ParamSpec::choice("reduction", "none", {"none", "fold", "projection", "pca"},
                           "keep the table's width, or reduce it to dim columns"),
         ParamSpec::integer("dim", 32, 1, 4096, "columns after a reduction"),
         ParamSpec::integer("projection_seed", 20240521, 0, 4'611'686'018'427'387'904LL,
                            "seeds the random projection; independent of the run seed"),
         ParamSpec::boolean("normalize", false, "scale each row to unit length"),
         ParamSpec::choice("unknown_drug", "generate", {"generate", "error"},
                           "a requested drug not in the table: a generated vector (logged), or "
                           "fail"),
         ParamSpec::integer("unknown_seed", 20240521, 0, 4'611'686'018'427'387'904LL,
                            "seeds the generated vector of an unknown drug")},
    };
  }

  void check(PlanCheck& ctx) const override {
    embedding::declare_drug_names(ctx, read_table(ctx).names, ctx.param_string("unknown_drug"),
                                  ctx.param_string("table"));
  }

  void run(StageContext& ctx) override {
    const std::string origin = ctx.param_string("table");
    embedding::DrugTable table = read_table(ctx);
    const std::size_t n = table.names.size();
    const std::string method = ctx.param_string("reduction");
    if (method != "none") {
      const auto dim = static_cast<std::size_t>(ctx.param_int("dim"));
      table.vectors =
          embedding::reduce(method, table.vectors, n, static_cast<std::size_t>(table.width), dim,
                            static_cast<std::uint64_t>(ctx.param_int("projection_seed")));
      table.width = static_cast<int>(dim);
    }
    const auto width = static_cast<std::size_t>(table.width);
    if (ctx.param_bool("normalize")) embedding::normalize_rows(table.vectors, n, width);
    ctx.log(std::to_string(n) + " drugs of width " + std::to_string(width) + " from " + origin);
    embedding::emit_embeddings(ctx, std::move(table), ctx.param_string("unknown_drug"),
                               static_cast<std::uint64_t>(ctx.param_int("unknown_seed")), origin);
  }
};

}  // namespace
}  // namespace rxflow::table_embeddings

RXFLOW_PLUGIN(rxflow::table_embeddings::TableEmbeddingsStage)

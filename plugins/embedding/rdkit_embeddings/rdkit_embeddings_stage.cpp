// The rdkit_embeddings plugin: drug vectors from molecular structure. Reads
// a table of drugs with SMILES, computes Morgan fingerprints with RDKit,
// reduces them to dim columns (reduction.h), optionally appends standardized
// descriptors, and applies the unknown-drug policy to the requests.
#include "drug_name.h"
#include "embedding_output.h"
#include "molecule_features.h"
#include "reduction.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "spec/table_file.h"

namespace rxflow::rdkit_embeddings {
namespace {

struct Molecules {
  std::vector<std::string> names;
  std::vector<double> fingerprints;  // (n, bits)
  std::vector<double> descriptors;   // (n, kDescriptorNames.size())
};

// Throws std::runtime_error "table:line: ..." for a missing column, a drug
// named twice, or a SMILES RDKit cannot read.
Molecules read_molecules(const StageParams& ctx) {
  const std::string origin = ctx.param_string("table");
  const TextTable text = parse_table(ctx.read_file_param("table"), origin, "drug");
  const std::size_t name_column = table_column(text, "name", origin);
  const std::size_t smiles_column = table_column(text, "smiles", origin);
  const int radius = static_cast<int>(ctx.param_int("radius"));
  const int bits = static_cast<int>(ctx.param_int("bits"));
  Molecules molecules;
  DrugNameSet seen;
  for (std::size_t r = 0; r < text.rows.size(); ++r) {
    const std::string& name = text.rows[r][name_column];
    const std::string where = origin + ":" + std::to_string(text.lines[r]);
    seen.add(name, where, "line " + std::to_string(text.lines[r]));
    const MoleculeFeatures features = molecule_features(text.rows[r][smiles_column], radius, bits,
                                                        where + ": drug \"" + name + "\"");
    molecules.names.push_back(name);
    molecules.fingerprints.insert(molecules.fingerprints.end(), features.bits.begin(),
                                  features.bits.end());
    molecules.descriptors.insert(molecules.descriptors.end(), features.descriptors.begin(),
                                 features.descriptors.end());
  }
  return molecules;
}

class RdkitEmbeddingsStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{
        "rdkit_embeddings",
        kinds::embedding(),
        "0.1.0",
        "drug vectors from Morgan fingerprints (RDKit) of a table of SMILES",
        embedding::request_inputs(),
        embedding::table_embedding_outputs(),
        {ParamSpec::file("table", "drugs.csv",
                         "drugs and SMILES: CSV with columns name and smiles, or TOML with "
                         "[[drug]] name/smiles entries (beside the workflow, then data/)"),
         ParamSpec::integer("radius", 2, 0, 8, "Morgan radius (2 is ECFP4-like)"),
         ParamSpec::integer("bits", 2048, 8, 65536, "fingerprint length"),
         ParamSpec::choice("reduction", "fold", {"fold", "projection", "pca"},
                           "from bits to dim columns: fold, seeded random projection, or PCA "
                           "fitted on the table"),
         ParamSpec::integer("dim", 32, 1, 4096, "columns after the reduction"),
         ParamSpec::integer("projection_seed", 20240521, 0, 4'611'686'018'427'387'904LL,
                            "seeds the random projection; independent of the run seed"),
         ParamSpec::boolean("normalize", true, "scale each reduced row to unit length"),
         ParamSpec::boolean("descriptors", false,
                            "append the 7 standardized descriptors (MolWt, MolLogP, TPSA, H-bond "
                            "donors and acceptors, rotatable bonds, rings)"),
         ParamSpec::choice("unknown_drug", "generate", {"generate", "error"},
                           "a requested drug not in the table: a generated vector (logged), or "
                           "fail"),
         ParamSpec::integer("unknown_seed", 20240521, 0, 4'611'686'018'427'387'904LL,
                            "seeds the generated vector of an unknown drug (as "
                            "synthetic_embeddings' table_seed)")},
    };
    info.outputs.insert(
        info.outputs.end(),
        {{"fingerprints", DType::kInt64, 2, "Morgan bits of the table's drugs (n, bits)", false},
         {"descriptors", DType::kFloat64, 2, "RDKit descriptors of the table's drugs, raw", false},
         {"rdkit_version", DType::kString, 1, "the RDKit library that computed them", false}});
    return info;
  }

  // The table's molecules are checked (names, SMILES) before anything runs.
  void check(PlanCheck& ctx) const override {
    embedding::declare_drug_names(ctx, read_molecules(ctx).names, ctx.param_string("unknown_drug"),
                                  ctx.param_string("table"));
  }

  void run(StageContext& ctx) override {
    const std::string origin = ctx.param_string("table");
    const int radius = static_cast<int>(ctx.param_int("radius"));
    const int bits = static_cast<int>(ctx.param_int("bits"));
    Molecules molecules = read_molecules(ctx);
    const std::size_t n = molecules.names.size();
    embedding::DrugTable table;
    table.names = std::move(molecules.names);
    std::vector<double>& fingerprints = molecules.fingerprints;
    std::vector<double>& descriptors = molecules.descriptors;

    const auto dim = static_cast<std::size_t>(ctx.param_int("dim"));
    const std::string method = ctx.param_string("reduction");
    std::vector<double> reduced =
        embedding::reduce(method, fingerprints, n, static_cast<std::size_t>(bits), dim,
                          static_cast<std::uint64_t>(ctx.param_int("projection_seed")));
    if (ctx.param_bool("normalize")) embedding::normalize_rows(reduced, n, dim);
    std::size_t width = dim;
    if (ctx.param_bool("descriptors")) {
      reduced = embedding::append_columns(
          reduced, dim, embedding::standardize_columns(descriptors, n, kDescriptorNames.size()),
          kDescriptorNames.size(), n);
      width += kDescriptorNames.size();
    }
    ctx.log(std::to_string(n) + " drugs from " + origin + ": " + std::to_string(bits) +
            "-bit Morgan radius " + std::to_string(radius) + ", " + method + " to " +
            std::to_string(dim) + (ctx.param_bool("descriptors") ? " + 7 descriptors" : "") + " (" +
            rdkit_version() + ")");

    std::vector<std::int64_t> bit_values(fingerprints.begin(), fingerprints.end());
    ctx.emit("fingerprints",
             Artifact{{n, static_cast<std::uint64_t>(bits)}, std::move(bit_values), {}});
    ctx.emit("descriptors", Artifact::matrix(n, kDescriptorNames.size(), std::move(descriptors),
                                             {kDescriptorNames.begin(), kDescriptorNames.end()}));
    ctx.emit("rdkit_version", Artifact::vector(std::vector<std::string>{rdkit_version()}));
    table.vectors = std::move(reduced);
    table.width = static_cast<int>(width);
    embedding::emit_embeddings(ctx, std::move(table), ctx.param_string("unknown_drug"),
                               static_cast<std::uint64_t>(ctx.param_int("unknown_seed")), origin);
  }
};

}  // namespace
}  // namespace rxflow::rdkit_embeddings

RXFLOW_PLUGIN(rxflow::rdkit_embeddings::RdkitEmbeddingsStage)

// Swapping the embedding provider is a one-stage change: the RDKit case
// study differs from the synthetic one in that stage alone (and a real drug),
// both run, and the real providers apply the same policies and refusals.
#include <H5Cpp.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "spec/spec.h"
#include "store/run_reader.h"
#include "support/sha256.h"
#include "test_support.h"

namespace rxflow {
namespace {

using Catch::Matchers::Contains;
using testing::first_line;
using testing::run_rxflow;

std::map<std::string, std::string> written_params(const StageSpec& stage) {
  std::map<std::string, std::string> params;
  for (const auto& [name, value] : stage.params) params[name] = value.written;
  return params;
}

std::map<std::string, std::string> bindings(const StageSpec& stage) {
  std::map<std::string, std::string> inputs;
  for (const auto& [port, input] : stage.inputs) inputs[port] = input.stage + "." + input.output;
  return inputs;
}

// The smoke workflow with its embedding stage replaced by `stage_text`.
std::string smoke_with_embedding(const std::string& stage_text) {
  return std::regex_replace(
      testing::smoke_workflow(),
      std::regex("plugin = \"synthetic_embeddings\"\n\\[stage.params\\]\ndim = 32\n"), stage_text);
}

TEST_CASE("the RDKit case study differs from the synthetic one in the embedding stage alone",
          "[e2e][rdkit]") {
  const Spec synthetic = parse_spec_file(RXFLOW_SOURCE_DIR "/workflows/case_study.toml");
  const Spec real = parse_spec_file(RXFLOW_SOURCE_DIR "/workflows/case_study_rdkit.toml");
  CHECK(synthetic.name == real.name);
  CHECK(synthetic.description == real.description);
  CHECK(synthetic.seed == real.seed);
  REQUIRE(synthetic.stages.size() == real.stages.size());
  for (std::size_t i = 0; i < synthetic.stages.size(); ++i) {
    const StageSpec& a = synthetic.stages[i];
    const StageSpec& b = real.stages[i];
    INFO(a.id);
    CHECK(a.id == b.id);
    CHECK(bindings(a) == bindings(b));
    if (a.id == "embed") {
      CHECK(a.plugin == "synthetic_embeddings");
      CHECK(b.plugin == "rdkit_embeddings");
    } else {
      CHECK(a.plugin == b.plugin);
      CHECK(written_params(a) == written_params(b));
    }
  }
  // The same patient, asking about a synthetic drug and a real one.
  REQUIRE(synthetic.stages[0].rows.size() == 1);
  REQUIRE(real.stages[0].rows.size() == 1);
  auto patient = [](const SpecRow& row) {
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : row.values) {
      if (name != "drug") values[name] = format_param_value(value.value);
    }
    return values;
  };
  CHECK(patient(synthetic.stages[0].rows[0]) == patient(real.stages[0].rows[0]));
  CHECK(std::get<std::string>(synthetic.stages[0].rows[0].values.at("drug").value) == "DrugA");
  CHECK(std::get<std::string>(real.stages[0].rows[0].values.at("drug").value) == "Metformin");

  testing::TempDir out;
  for (const char* workflow : {"workflows/case_study.toml", "workflows/case_study_rdkit.toml"}) {
    INFO(workflow);
    const auto run = run_rxflow(std::string("run ") + workflow + " --quiet --out " + out.path());
    REQUIRE(run.exit_code == 0);
    CHECK(RunReader(first_line(run.out)).attribute("status") == "complete");
  }
  const auto run = run_rxflow("run workflows/case_study_rdkit.toml --quiet --out " + out.path());
  const RunReader reader(first_line(run.out));
  const StageRecord embed = testing::record_of(reader, "embed");
  REQUIRE(embed.files.size() == 1);
  CHECK(embed.files[0] ==
        std::pair<std::string, std::string>{
            "table", sha256_hex(testing::read_text(RXFLOW_SOURCE_DIR "/data/drugs.csv"))});
  const Artifact version = reader.read_artifact("embed", "rdkit_version");
  CHECK_THAT(std::get<std::vector<std::string>>(version.values).at(0),
             Catch::Matchers::StartsWith("RDKit 2022."));
  CHECK(reader.read_artifact("embed", "embeddings").shape == std::vector<std::uint64_t>{31, 32});
  CHECK(std::get<std::vector<std::string>>(reader.read_artifact("embed", "unknown_drugs").values)
            .empty());
  const auto replay =
      run_rxflow("replay '" + first_line(run.out) + "' --quiet --out " + out.path());
  CHECK(replay.exit_code == 0);
}

TEST_CASE("rdkit_embeddings: reductions, descriptors and the unknown-drug policy", "[e2e][rdkit]") {
  testing::TempDir dir;
  const std::string workflow = dir.write(
      "rdkit.toml", smoke_with_embedding("plugin = \"rdkit_embeddings\"\n[stage.params]\n"
                                         "table = \"" RXFLOW_SOURCE_DIR "/data/drugs.csv\"\n"));
  std::string hashes[2];
  for (int i = 0; i < 2; ++i) {
    const auto run = run_rxflow("run " + workflow +
                                " --quiet --set embed.reduction=pca --set embed.dim=8 "
                                "--set embed.descriptors=true --out " +
                                dir.path());
    REQUIRE(run.exit_code == 0);
    const RunReader reader(first_line(run.out));
    const Artifact embeddings = reader.read_artifact("embed", "embeddings");
    CHECK(embeddings.shape == std::vector<std::uint64_t>{31 + 1, 8 + 7});  // and DrugA, generated
    for (const StoredStage& stage : reader.stages()) {
      for (const ArtifactRecord& artifact : stage.record.outputs) {
        if (artifact.name == "embeddings") hashes[i] = artifact.sha256;
      }
    }
  }
  CHECK(hashes[0] == hashes[1]);

  // DrugA is not in the real table: generated and logged, or refused.
  const auto generated = run_rxflow("run " + workflow + " --quiet --out " + dir.path());
  REQUIRE(generated.exit_code == 0);
  const RunReader reader(first_line(generated.out));
  CHECK(std::get<std::vector<std::string>>(reader.read_artifact("embed", "unknown_drugs").values) ==
        std::vector<std::string>{"druga"});
  const auto refused =
      run_rxflow("run " + workflow + " --quiet --set embed.unknown_drug=error --out " + dir.path());
  CHECK(refused.exit_code == 2);  // known before anything runs
  CHECK_THAT(refused.err, Contains("request 1: drug \"DrugA\" is not in " RXFLOW_SOURCE_DIR
                                   "/data/drugs.csv (unknown_drug = \"error\")"));
  const auto pca_too_wide =
      run_rxflow("run " + workflow + " --quiet --set embed.reduction=pca --out " + dir.path());
  CHECK(pca_too_wide.exit_code == 1);
  CHECK_THAT(pca_too_wide.err, Contains("give at most 30 components, 32 requested"));
}

TEST_CASE("a bad drug table is bad input naming the line, drug and SMILES", "[e2e][rdkit]") {
  testing::TempDir dir;
  struct Case {
    std::string table;
    std::string message;
  };
  for (const Case& c : {
           Case{"name,smiles\nDrugA,CCO\nBroken,C1CC(\n",
                "drugs.csv:3: drug \"Broken\": SMILES \"C1CC(\" cannot be parsed"},
           Case{"name,smiles\nDrugA,CCO\nPentavalent,C(C)(C)(C)(C)C\n",
                "drugs.csv:3: drug \"Pentavalent\": SMILES \"C(C)(C)(C)(C)C\" is not a valid "
                "molecule (Explicit valence"},
           Case{"name,smiles\nDrugA,\n", "drugs.csv:2: drug \"DrugA\": SMILES \"\" has no atoms"},
           Case{"name,smiles\nDrugA,CCO\ndruga,CCN\n",
                "drugs.csv:3: drug \"druga\" is already on line 2"},
           Case{"name,formula\nDrugA,CCO\n",
                "drugs.csv: no column \"smiles\" (found: name, formula)"},
           Case{"name,smiles\nDrugA,CCO,extra\n",
                "drugs.csv:2: row has 3 fields, the header has 2"},
       }) {
    INFO(c.table);
    const std::string table = dir.write("drugs.csv", c.table);
    const std::string workflow =
        dir.write("bad.toml", smoke_with_embedding("plugin = \"rdkit_embeddings\"\n[stage.params]\n"
                                                   "table = \"drugs.csv\"\n"));
    const auto run = run_rxflow("run " + workflow + " --quiet --out " + dir.file("results"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(first_line(run.err), Contains("bad.toml:") &&
                                        Contains("stage \"embed\" (plugin rdkit_embeddings): ") &&
                                        Contains(c.message));
    CHECK_FALSE(std::filesystem::exists(dir.file("results")));
  }
}

TEST_CASE("table_embeddings reads CSV and HDF5 tables as written", "[e2e]") {
  testing::TempDir dir;
  dir.write("vectors.csv", "name,a,b,c\nDrugA,1,2,3\nDrugB,-1,0.5,0\n");
  {
    H5::H5File file(dir.file("vectors.h5"), H5F_ACC_TRUNC);
    H5::StrType text(H5::PredType::C_S1, H5T_VARIABLE);
    const hsize_t n = 2, shape[2] = {2, 3};
    const char* names[] = {"DrugA", "DrugB"};
    file.createDataSet("names", text, H5::DataSpace(1, &n)).write(names, text);
    const double values[] = {1, 2, 3, -1, 0.5, 0};
    file.createDataSet("vectors", H5::PredType::IEEE_F64LE, H5::DataSpace(2, shape))
        .write(values, H5::PredType::NATIVE_DOUBLE);
  }
  for (const char* table : {"vectors.csv", "vectors.h5"}) {
    INFO(table);
    const std::string workflow = dir.write(
        "table.toml", smoke_with_embedding("plugin = \"table_embeddings\"\n[stage.params]\n"
                                           "table = \"" +
                                           std::string(table) + "\"\n"));
    const auto run = run_rxflow("run " + workflow + " --quiet --out " + dir.file("results"));
    REQUIRE(run.exit_code == 0);
    const RunReader reader(first_line(run.out));
    const Artifact embeddings = reader.read_artifact("embed", "embeddings");
    CHECK(embeddings.shape == std::vector<std::uint64_t>{2, 3});
    CHECK(std::get<std::vector<double>>(embeddings.values) ==
          std::vector<double>{1, 2, 3, -1, 0.5, 0});
    CHECK(
        std::get<std::vector<double>>(reader.read_artifact("embed", "request_embeddings").values) ==
        std::vector<double>{1, 2, 3});
  }
  dir.write("vectors.csv", "name,a,b,c\nDrugA,1,2,3\nDrugB,-1,0.5\n");
  const std::string csv_workflow =
      dir.write("csv.toml", smoke_with_embedding("plugin = \"table_embeddings\"\n[stage.params]\n"
                                                 "table = \"vectors.csv\"\n"));
  const auto refused = run_rxflow("run " + csv_workflow + " --quiet --out " + dir.file("results"));
  CHECK(refused.exit_code == 2);  // the table is read when the plan is checked
  CHECK_THAT(refused.err, Contains("csv.toml:") &&
                              Contains("vectors.csv:3: row has 3 fields, the header has 4"));
}

}  // namespace
}  // namespace rxflow

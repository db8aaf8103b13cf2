// verify, replay, diff, log and export, as a user runs them on real runs:
// the promise that a logged run can be proven unchanged and reproduced.
#include <H5Cpp.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "store/run_reader.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using testing::copy_of;
using testing::first_line;
using testing::run_into;
using testing::run_rxflow;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Rewrites one variable-length string attribute of an object in a run file.
void set_text_attribute(const std::string& file, const std::string& object, const std::string& name,
                        const std::string& value) {
  H5::H5File h5(file, H5F_ACC_RDWR);
  H5::Group group = h5.openGroup(object);
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  group.removeAttr(name);
  group.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

// Rewrites one "name = value" line of a stage's lists (format 4: the record,
// artifact_sha256, params, input_hashes, ...).
void set_line(const std::string& file, const std::string& stage, const std::string& list,
              const std::string& name, const std::string& value) {
  H5::H5File h5(file, H5F_ACC_RDWR);
  testing::set_named_line(h5.getId(), "/stages/" + stage, list, name, value);
}

// Adds delta to one float64 value of a dataset, in place.
void nudge_value(const std::string& file, const std::string& dataset_path, hsize_t index,
                 double delta) {
  H5::H5File h5(file, H5F_ACC_RDWR);
  H5::DataSet dataset = h5.openDataSet(dataset_path);
  std::vector<double> values(static_cast<std::size_t>(dataset.getSpace().getSimpleExtentNpoints()));
  dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
  values.at(index) += delta;
  dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
}

// The stages that read, directly or not, from `stage`, and itself.
std::set<std::string> downstream_of(const std::string& run_file, const std::string& stage) {
  std::set<std::string> reached{stage};
  for (const StoredStage& stored : RunReader(run_file).stages()) {  // run order is topological
    for (const auto& [port, binding] : stored.record.inputs) {
      if (reached.count(binding.substr(0, binding.find('.')))) reached.insert(stored.record.id);
    }
  }
  return reached;
}

TEST_CASE("replay of the smoke and case-study runs is bit-identical and verifies", "[e2e]") {
  testing::TempDir out;
  for (const char* workflow : {"workflows/smoke.toml", "workflows/case_study.toml"}) {
    INFO(workflow);
    const std::string original = run_into(out, workflow);
    const auto replay = run_rxflow("replay '" + original + "' --quiet --out " + out.path());
    CHECK(replay.exit_code == 0);
    const RunReader before(original);
    std::size_t artifacts = 0;
    for (const StoredStage& stage : before.stages()) artifacts += stage.record.outputs.size();
    const std::string all = std::to_string(artifacts);
    CHECK_THAT(replay.out, Contains(all + " of " + all + " artifacts identical"));
    CHECK_THAT(replay.out, Contains("root hash identical " + before.attribute("root_hash")));

    const std::string replayed = lines_of(replay.out).at(1).substr(10);  // "       as <file>"
    const RunReader after(replayed);
    CHECK(after.attribute("replay_of") == before.attribute("run_id"));
    CHECK(after.attribute("replay_of_root_hash") == before.attribute("root_hash"));
    CHECK(after.attribute("root_hash") == before.attribute("root_hash"));
    CHECK(after.drift().empty());
    CHECK(after.workflow_text() == before.workflow_text());

    for (const std::string& file : {original, replayed}) {
      const auto verify = run_rxflow("verify '" + file + "'");
      CHECK(verify.exit_code == 0);
      CHECK_THAT(verify.out, Contains("OK: root hash " + before.attribute("root_hash")));
    }
  }
}

TEST_CASE("diff of a run and the same run with one parameter overridden", "[e2e]") {
  testing::TempDir out;
  const std::string a = run_into(out, "workflows/case_study.toml");
  const std::string b = run_into(out, "workflows/case_study.toml --set train.epochs=5");
  const auto diff = run_rxflow("diff '" + a + "' '" + b + "'");
  REQUIRE(diff.exit_code == 0);
  const std::vector<std::string> lines = lines_of(diff.out);

  // Exactly the parameter (and the --set that made it) under "workflow and parameters".
  const auto section = std::find(lines.begin(), lines.end(), "workflow and parameters");
  REQUIRE(section != lines.end());
  std::vector<std::string> changes;
  for (auto it = section + 1; it != lines.end() && !it->empty(); ++it) changes.push_back(*it);
  CHECK(changes == std::vector<std::string>{"  overrides: (none) -> train.epochs=5",
                                            "  train.epochs: 10 -> 5"});
  for (const char* same : {"seeds", "plugins and engine", "environment"}) {
    const auto at = std::find(lines.begin(), lines.end(), same);
    REQUIRE(at != lines.end());
    CHECK(*(at + 1) == "  same");
  }

  // Artifacts differ only downstream of the stage whose parameter changed.
  const std::set<std::string> downstream = downstream_of(a, "train");
  CHECK(downstream == std::set<std::string>{"train", "calibrate", "evaluate", "report"});
  std::set<std::string> differing_stages;
  int identical_upstream = 0;
  const std::regex artifact_line(R"(  (identical|different) +([a-z_]+)\.(\S+?):?( .*)?)");
  for (const std::string& line : lines) {
    std::smatch match;
    if (!std::regex_match(line, match, artifact_line)) continue;
    const std::string stage = match[2];
    if (match[1] == "different") {
      differing_stages.insert(stage);
      CHECK_THAT(line, Contains("max |diff|") || Contains("shape"));
    } else if (!downstream.count(stage)) {
      ++identical_upstream;
    }
  }
  for (const std::string& stage : differing_stages) CHECK(downstream.count(stage) == 1);
  CHECK(differing_stages.count("train") == 1);
  // requests, embed, cohort, image (latents, images, and its grid: none here)
  CHECK(identical_upstream == 3 + 4 + 11 + 4);
  CHECK_THAT(diff.out, Contains("different  train.train_loss: shape [10] vs [5]"));
  CHECK(std::regex_search(diff.out, std::regex(R"(\n  p0 +0\.9\d+ +0\.\d+\n)")));
}

TEST_CASE("verify names what was changed in a tampered copy of a run", "[e2e]") {
  testing::TempDir out, copies;
  const std::string original = run_into(out, "workflows/smoke.toml");
  struct Tamper {
    std::string name;
    std::function<void(const std::string&)> change;
    std::vector<std::string> expected;
  };
  const std::vector<Tamper> tampers{
      {"one value of one dataset",
       [](const std::string& f) { nudge_value(f, "/stages/cohort/artifacts/features", 17, 1e-12); },
       {"artifact cohort.features: its values hash to"}},
      {"a parameter",
       [](const std::string& f) { set_line(f, "cohort", "params", "n", "201"); },
       {"stage cohort: its record", "stage cohort: parameter n is 201 in the record but 200"}},
      {"a recorded plugin hash",
       [](const std::string& f) {
         set_line(f, "embed", "record", "plugin_sha256", std::string(64, 'a'));
       },
       {"stage embed: its record (plugin, version, library hash"}},
      {"a stage seed",
       [](const std::string& f) { set_line(f, "cohort", "record", "seed", "12345"); },
       {"stage cohort: its record", "stage cohort: seed 12345 is not the one derived"}},
      {"an artifact's recorded hash",
       [](const std::string& f) {
         set_line(f, "cohort", "artifact_sha256", "labels", std::string(64, '0'));
       },
       {"artifact cohort.labels: its values hash to", "stage cohort: its record"}},
      {"an input's recorded hash",
       [](const std::string& f) {
         set_line(f, "cohort", "input_hashes", "embeddings", std::string(64, 'c'));
       },
       {"stage cohort: input embeddings was recorded as cccccccccccc but embed.embeddings is",
        "stage cohort: its record"}},
      {"the root hash",
       [](const std::string& f) { set_text_attribute(f, "/", "root_hash", std::string(64, 'b')); },
       {"root hash: the stage records chain to"}},
      {"the resolved workflow's engine identity",
       [](const std::string& f) { set_text_attribute(f, "/", "engine_version", "9.9.9"); },
       {"run identity (resolved workflow, engine version, git commit)"}},
  };
  int index = 0;
  for (const Tamper& tamper : tampers) {
    INFO(tamper.name);
    const std::string copy = copy_of(original, copies, std::to_string(index++) + ".h5");
    tamper.change(copy);
    const auto verify = run_rxflow("verify '" + copy + "'");
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.out, Contains("FAILED"));
    for (const std::string& expected : tamper.expected) CHECK_THAT(verify.out, Contains(expected));
  }
  CHECK(run_rxflow("verify '" + original + "'").exit_code == 0);
}

TEST_CASE("replay refuses a plugin rebuilt with another version unless drift is allowed", "[e2e]") {
  testing::TempDir dir;
  std::string text = std::regex_replace(
      testing::smoke_workflow(),
      std::regex("plugin = \"synthetic_embeddings\"\n\\[stage.params\\]\ndim = 32"),
      "plugin = \"failing_embeddings\"\n[stage.params]\ncode = 1\nfail = false");
  const std::string workflow = dir.write("versioned.toml", text);
  const std::string original = run_into(dir, workflow + " --plugin-path " RXFLOW_TEST_PLUGIN_DIR);
  const std::string v2 = " --plugin-path " RXFLOW_TEST_PLUGIN_DIR "/v2 --out " + dir.path();

  const auto refused = run_rxflow("replay '" + original + "'" + v2);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err,
             Contains("replay refused: stage embed: plugin failing_embeddings version 1.0.0 "
                      "recorded, 1.1.0 found") &&
                 Contains("--allow-drift"));
  CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);

  const auto allowed = run_rxflow("replay '" + original + "' --quiet --allow-drift" + v2);
  CHECK(allowed.exit_code == 0);  // the artifacts are still identical
  CHECK_THAT(allowed.err, Contains("drift allowed: stage embed: plugin failing_embeddings"));
  const RunReader replayed(lines_of(allowed.out).at(1).substr(10));
  const std::vector<std::string> drift = replayed.drift();
  REQUIRE(drift.size() == 2);  // the version and the library hash
  CHECK_THAT(drift[0], Contains("version 1.0.0 recorded, 1.1.0 found"));
  CHECK_THAT(drift[1], Contains("library sha256"));
  CHECK(testing::record_of(replayed, "embed").plugin_version == "1.1.0");
}

TEST_CASE("truncated, foreign and missing files give one clear line, never a crash", "[e2e]") {
  testing::TempDir out, dir;
  const std::string good = run_into(out, "workflows/smoke.toml");
  const std::string truncated = copy_of(good, dir, "truncated.h5");
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  const std::string text = dir.write("text.h5", "not an HDF5 file\n");
  { H5::H5File foreign(dir.file("foreign.h5"), H5F_ACC_TRUNC); }
  struct Case {
    std::string file;
    std::string message;
  };
  for (const Case& c : {Case{truncated, "truncated.h5: the HDF5 file cannot be opened"},
                        Case{text, "text.h5: not an HDF5 file"},
                        Case{dir.file("foreign.h5"), "foreign.h5: an HDF5 file, but not an rxflow"},
                        Case{dir.file("missing.h5"), "missing.h5: no such run file"}}) {
    for (const std::string& command :
         {"verify '" + c.file + "'", "replay '" + c.file + "' --out " + dir.file("r"),
          "diff '" + c.file + "' '" + good + "'", "diff '" + good + "' '" + c.file + "'",
          "export '" + c.file + "' --to " + dir.file("x"), "show '" + c.file + "'"}) {
      INFO(command);
      const auto result = run_rxflow(command);
      CHECK(result.exit_code == 2);
      CHECK_THAT(result.err, Contains(c.message));
      CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    }
  }
  CHECK_FALSE(fs::exists(dir.file("r")));
  CHECK_FALSE(fs::exists(dir.file("x")));
}

TEST_CASE("log shows complete, failed, interrupted and corrupt runs for what they are", "[e2e]") {
  testing::TempDir out;
  const std::string complete = run_into(out, "workflows/case_study.toml");
  std::string text = std::regex_replace(testing::smoke_workflow(), std::regex("drug = \"DrugA\""),
                                        "drug = \"Aspirin\"");
  text = std::regex_replace(text, std::regex("name = \"smoke\""), "name = \"curation\"");
  const std::string unknown = run_into(out, out.write("curation.toml", text));
  std::string failing = std::regex_replace(
      testing::smoke_workflow(),
      std::regex("plugin = \"synthetic_embeddings\"\n\\[stage.params\\]\ndim = 32"),
      "plugin = \"failing_embeddings\"\n[stage.params]\ncode = 1");
  const auto failed =
      run_rxflow("run " + out.write("failing.toml", failing) +
                 " --quiet --plugin-path " RXFLOW_TEST_PLUGIN_DIR " --out " + out.path());
  REQUIRE(failed.exit_code == 1);
  const std::string interrupted = out.file("smoke/.20260101-000000-abcdef.h5.partial");
  fs::copy_file(complete, interrupted);
  set_text_attribute(interrupted, "/", "status", "running");
  const std::string corrupt = out.write("smoke/20260101-000001-000000.h5", "garbage");

  const auto log = run_rxflow("log " + out.path());
  REQUIRE(log.exit_code == 0);
  const RunReader reader(complete);
  std::map<std::string, std::string> status_of;  // file -> its row
  for (const std::string& line : lines_of(log.out)) {
    for (const std::string& file : {complete, unknown, interrupted, corrupt}) {
      if (line.find(file) != std::string::npos) status_of[file] = line;
    }
  }
  REQUIRE(status_of.size() == 4);
  CHECK_THAT(status_of[complete], Contains(" complete ") && Contains(reader.attribute("run_id")) &&
                                      Contains(reader.attribute("root_hash").substr(0, 12)) &&
                                      Contains("20240521"));
  // The headline metrics by column name: p0, calibrated_p0, roc_auc first.
  CHECK_THAT(lines_of(log.out).at(0),
             Contains("p0") && Contains("calibrated_p0") && Contains("roc_auc"));
  CHECK(std::regex_search(status_of[complete],
                          std::regex(R"( complete +0\.9\d{3} +0\.9\d{3} +0\.9\d{3} )")));
  CHECK_THAT(status_of[interrupted], Contains(" interrupted "));
  CHECK_THAT(status_of[corrupt], Contains(" corrupt ") && Contains("not an HDF5 file"));
  CHECK_THAT(log.out, Contains(" failed ") && Contains("deliberate failure for the test"));
  CHECK(lines_of(log.out).size() == 1 + 5);  // header and five files

  const auto only_failed = run_rxflow("log " + out.path() + " --status failed --csv");
  CHECK(only_failed.exit_code == 0);
  CHECK(lines_of(only_failed.out).size() == 2);
  CHECK_THAT(only_failed.out, Contains(",failed,"));
  const auto by_workflow = run_rxflow("log " + out.path() + " --workflow case_study --json");
  CHECK(by_workflow.exit_code == 0);
  CHECK_THAT(by_workflow.out, Contains("\"run_id\": \"" + reader.attribute("run_id") + "\"") &&
                                  Contains("\"status\": \"complete\""));
  CHECK_FALSE(by_workflow.out.find("curation") != std::string::npos);
  CHECK(lines_of(run_rxflow("log " + out.path() + " --since 2999-01-01").out).size() == 1);

  const auto drugs = run_rxflow("log " + out.path() + " --unknown-drugs");
  CHECK(drugs.exit_code == 0);
  CHECK(std::regex_search(drugs.out,
                          std::regex("aspirin +1 +" + RunReader(unknown).attribute("run_id"))));
  CHECK(drugs.out.find("DrugA") == std::string::npos);

  for (const char* bad : {"--since yesterday", "--status lost", "--json --csv"}) {
    const auto refused = run_rxflow("log " + out.path() + " " + bad);
    CHECK(refused.exit_code == 2);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
  }
  CHECK(run_rxflow("log " + out.file("nowhere")).exit_code == 2);
}

TEST_CASE("export writes every artifact as CSV, JSON or PNG with a manifest", "[e2e]") {
  testing::TempDir out;
  const std::string run = run_into(out, "workflows/case_study.toml");
  const auto exported = run_rxflow("export '" + run + "' --to " + out.file("export"));
  REQUIRE(exported.exit_code == 0);
  const RunReader reader(run);

  const Artifact features = reader.read_artifact("cohort", "features");
  const std::vector<std::string> csv =
      lines_of(testing::read_text(out.file("export/cohort/features.csv")));
  REQUIRE(csv.size() == features.shape[0] + 1);
  CHECK(csv[0].rfind("age_norm,weight_norm,", 0) == 0);
  const auto& values = std::get<std::vector<double>>(features.values);
  const std::string first_value = csv[1].substr(0, csv[1].find(','));
  CHECK(std::stod(first_value) == values[0]);  // 17 digits round-trip exactly

  const std::string png = testing::read_text(out.file("export/image/images/0.png"));
  CHECK(png.substr(1, 3) == "PNG");
  const std::string state = testing::read_text(out.file("export/train/state.0.weight.csv"));
  CHECK(lines_of(state).size() == 128 + 1);

  const std::string manifest = testing::read_text(out.file("export/manifest.json"));
  std::size_t artifacts = 0;
  for (const StoredStage& stage : reader.stages()) {
    for (const ArtifactRecord& artifact : stage.record.outputs) {
      ++artifacts;
      CHECK_THAT(manifest, Contains("\"sha256\": \"" + artifact.sha256 + "\""));
    }
  }
  CHECK(artifacts == 72);  // the image stage's empty grid included
  CHECK(nlohmann::json::parse(manifest).at("artifacts").size() == artifacts);

  const auto as_json = run_rxflow("export '" + run + "' --json --to " + out.file("json"));
  CHECK(as_json.exit_code == 0);
  const nlohmann::json metrics =
      nlohmann::json::parse(testing::read_text(out.file("json/evaluate/metrics.json")));
  CHECK(metrics.at("columns") ==
        std::vector<std::string>{"accuracy", "precision", "recall", "f1", "roc_auc", "brier"});
  CHECK(metrics.at("shape") == std::vector<int>{2, 6});
  CHECK(metrics.at("values").at(0).at(4).get<double>() ==
        std::get<std::vector<double>>(reader.read_artifact("evaluate", "metrics").values)[4]);

  const auto refused = run_rxflow("export '" + run + "' --to " + out.file("export"));
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("already exists and is not an empty folder"));
}

}  // namespace
}  // namespace rxflow

namespace rxflow {
namespace {

TEST_CASE("runs written before format 2 still verify, replay says what it cannot do", "[e2e]") {
  for (const char* name : {"format1_smoke.h5", "format1_case_study.h5"}) {
    const std::string file = std::string(RXFLOW_SOURCE_DIR "/tests/fixtures/") + name;
    INFO(file);
    const auto verify = run_rxflow("verify " + file);
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out,
               Contains("OK: root hash ") && Contains("note: run-file format 1 has no seal"));
    const auto replay = run_rxflow("replay " + file + " --out /nonexistent");
    CHECK(replay.exit_code == 2);
    CHECK_THAT(replay.err, Contains("run-file format version 1 cannot be replayed by this rxflow"));
    CHECK(run_rxflow("show " + file).exit_code == 0);
  }
}

TEST_CASE("runs of formats 2 and 3 still verify and replay value for value", "[e2e]") {
  for (const int format : {2, 3}) {
    INFO("format " << format);
    testing::TempDir out;
    const std::string file =
        RXFLOW_SOURCE_DIR "/tests/fixtures/format" + std::to_string(format) + "_smoke.h5";
    const auto verify = run_rxflow("verify " + file);
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out, Contains("18 artifacts") && Contains("OK: root hash "));
    // Built elsewhere, the plugin libraries differ from the recorded ones: the
    // drift is allowed (and recorded); the values must still be identical.
    const auto replay = run_rxflow("replay " + file + " --allow-drift --out " + out.path());
    CHECK(replay.exit_code == 0);
    CHECK_THAT(replay.out, Contains("18 of 18 artifacts identical"));
    const auto show = nlohmann::json::parse(run_rxflow("show --json " + file).out);
    CHECK(show.at("format_version") == format);
    CHECK(show.at("environment").at("hdf5") == "HDF5 1.10.8");
  }
}

TEST_CASE("show, verify, diff, replay and log speak JSON with --json", "[e2e]") {
  testing::TempDir out;
  const std::string run = run_into(out, "workflows/smoke.toml");
  const auto show = nlohmann::json::parse(run_rxflow("show --json " + run).out);
  CHECK(show.at("format_version") == 4);
  CHECK(show.at("stages").size() == 3);
  CHECK(show.at("stages").at(0).at("rows").size() == 1);
  const auto verify = nlohmann::json::parse(run_rxflow("verify --json " + run).out);
  CHECK(verify.at("ok") == true);
  CHECK(verify.at("root_hash") == RunReader(run).attribute("root_hash"));
  const auto diff = nlohmann::json::parse(run_rxflow("diff --json " + run + " " + run).out);
  CHECK(diff.at("workflow").empty());
  CHECK(diff.at("artifacts").size() == 18);
  const auto replay = run_rxflow("replay --json --quiet " + run + " --out " + out.path());
  CHECK(replay.exit_code == 0);
  const auto replayed = nlohmann::json::parse(replay.out);
  CHECK(replayed.at("ok") == true);
  CHECK(replayed.at("identical") == 18);
  const auto log = nlohmann::json::parse(run_rxflow("log --json " + out.path()).out);
  CHECK(log.size() == 2);
  CHECK(log.at(0).at("status") == "complete");
}

TEST_CASE("a stage of a kind of its own runs, and its metrics reach log by name", "[e2e]") {
  testing::TempDir out;
  const std::string workflow = out.write(
      "tally.toml", testing::smoke_workflow() +
                        "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n[stage.inputs]\n"
                        "values = \"cohort.features\"\n");
  const std::string run = run_into(out, workflow + " --plugin-path " RXFLOW_TEST_PLUGIN_DIR);
  const RunReader reader(run);
  CHECK(testing::record_of(reader, "count").plugin_kind == "tally");
  CHECK(std::get<std::vector<std::int64_t>>(reader.read_artifact("count", "count").values) ==
        std::vector<std::int64_t>{200 * 7});
  const auto log = nlohmann::json::parse(run_rxflow("log --json " + out.path()).out);
  CHECK(log.at(0).at("metrics").at("tally") == 1400.0);
  CHECK(run_rxflow("verify " + run).exit_code == 0);
}

}  // namespace
}  // namespace rxflow

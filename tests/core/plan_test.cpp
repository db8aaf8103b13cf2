// Planning: plugins found, parameters and rows checked and defaulted,
// inputs bound (by hand or by port name), stages ordered, seeds derived,
// plugins' own plan-time checks run; and a one-line error for each bad case.
#include "plan/plan.h"

#include <catch2/catch.hpp>

#include "rxflow/seed.h"
#include "support/errors.h"
#include "support/install_paths.h"
#include "support/sha256.h"
#include "test_support.h"

namespace rxflow {
namespace {

constexpr const char* kOrigin = RXFLOW_SOURCE_DIR "/workflows/test.toml";

PluginLoader test_loader() { return PluginLoader({builtin_plugin_dir(), RXFLOW_TEST_PLUGIN_DIR}); }

Plan plan_text(const std::string& text, PluginLoader& loader) {
  return make_plan(parse_spec_text(text, kOrigin), loader,
                   PlanOptions{std::nullopt, {builtin_data_dir()}});
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// "test.toml:<line>:<column>" of the first `needle` in text, plus `skip` columns.
std::string at(const std::string& text, const std::string& needle, int skip = 0) {
  const auto offset = text.find(needle);
  REQUIRE(offset != std::string::npos);
  const auto line_start = text.rfind('\n', offset);
  const std::size_t column = offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  const auto line =
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n') + 1;
  return "test.toml:" + std::to_string(line) + ":" + std::to_string(column + skip);
}

const PlannedInput& input_of(const PlannedStage& stage, const std::string& port) {
  for (const PlannedInput& input : stage.inputs) {
    if (input.port == port) return input;
  }
  FAIL("no input " << port);
  throw std::logic_error("unreachable");
}

TEST_CASE("the smoke workflow plans in dependency order with derived seeds", "[plan]") {
  PluginLoader loader = test_loader();
  // Stages written downstream first still run upstream first.
  std::string text = testing::smoke_workflow();
  const auto cohort_at = text.find("[[stage]]\nid = \"cohort\"");
  const std::string cohort = text.substr(cohort_at);
  text.erase(cohort_at);
  text.insert(text.find("[[stage]]"), cohort + "\n");
  const Plan plan = plan_text(text, loader);
  REQUIRE(plan.stages.size() == 3);
  CHECK(plan.stages[0].id == "requests");
  CHECK(plan.stages[1].id == "embed");
  CHECK(plan.stages[2].id == "cohort");
  CHECK(plan.root_seed == 42);
  CHECK(plan.stages[1].seed == derive_seed(42, "embed"));
  CHECK(plan.stages[2].seed == derive_seed(42, "cohort"));
  const ResolvedParam& dictionary = plan.stages[1].params[1];
  CHECK(dictionary.spec.name == "dictionary");
  CHECK(dictionary.origin == "default");
  CHECK(dictionary.file_path == builtin_data_dir() + "/synthetic_drugs.txt");
  CHECK(dictionary.file_sha256 == sha256_file_hex(RXFLOW_SOURCE_DIR "/data/synthetic_drugs.txt"));
  const ResolvedParam& n = plan.stages[2].params[0];
  CHECK(n.spec.name == "n");
  CHECK(std::get<std::int64_t>(n.value) == 200);
  CHECK_THAT(n.origin, Catch::Matchers::EndsWith(at(text, "n = 200", 4)));
}

TEST_CASE("inputs bind by port name to the one output of that name", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = plan_text(testing::smoke_workflow(), loader);
  const PlannedStage& cohort = plan.stages[2];
  CHECK(input_of(cohort, "embeddings").stage == "embed");
  CHECK(input_of(cohort, "embeddings").by_name);
  CHECK(input_of(cohort, "request_patients").stage == "requests");
  CHECK(input_of(plan.stages[1], "request_drugs").output == "request_drugs");
  // A binding written by hand wins and is marked as such.
  const Plan bound = plan_text(replace(testing::smoke_workflow(), "beta = 0.4",
                                       "beta = 0.4\n[stage.inputs]\nembeddings = "
                                       "\"embed.embeddings\""),
                               loader);
  CHECK_FALSE(input_of(bound.stages[2], "embeddings").by_name);
  // An optional input no stage offers stays unbound.
  std::string text = testing::smoke_workflow();
  const auto requests_at = text.find("[[stage]]\nid = \"requests\"");
  text.erase(requests_at, text.find("[[stage]]\nid = \"embed\"") - requests_at);
  const Plan without_requests = plan_text(text, loader);
  CHECK(without_requests.stages[0].inputs.empty());
  CHECK(without_requests.stages[1].inputs.size() == 2);
}

TEST_CASE("plugins declare what they know at plan time, and the requests' rows fill in", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = plan_text(testing::smoke_workflow(), loader);
  const PlannedStage& requests = plan.stages[0];
  REQUIRE(requests.rows.size() == 1);
  CHECK(requests.rows[0].text("gender") == "female");
  CHECK(requests.rows[0].real("age") == 52.0);  // an integer in the file, a float column
  const Artifact* drugs = requests.declared_output("request_drugs");
  REQUIRE(drugs != nullptr);
  CHECK(std::get<std::vector<std::string>>(drugs->values) == std::vector<std::string>{"DrugA"});
  const Artifact* names = plan.stages[1].declared_output("drug_names");
  REQUIRE(names != nullptr);
  CHECK(names->shape[0] == 8);  // the dictionary's drugs; DrugA is one of them
}

TEST_CASE("the resolved workflow reads back to the same plan", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = plan_text(testing::smoke_workflow(), loader);
  const std::string resolved = resolved_workflow_toml(plan);
  CHECK(plan.resolved_workflow == resolved);
  const Plan again = plan_text(resolved, loader);
  CHECK(resolved_workflow_toml(again) == resolved);
  CHECK(again.stages[2].params.size() == plan.stages[2].params.size());
  CHECK(again.stages[0].rows[0].values == plan.stages[0].rows[0].values);
  for (const PlannedInput& input : again.stages[2].inputs) CHECK_FALSE(input.by_name);
}

TEST_CASE("every control character and DEL survive the resolved workflow", "[plan]") {
  PluginLoader loader = test_loader();
  Spec spec = parse_spec_text(testing::smoke_workflow(), kOrigin);
  std::string text;
  for (int c = 1; c < 0x20; ++c) text += static_cast<char>(c);
  text += "\x7f tail \"quoted\" \\ é";
  spec.description = text;
  Plan plan = make_plan(std::move(spec), loader, PlanOptions{std::nullopt, {builtin_data_dir()}});
  const std::string resolved = resolved_workflow_toml(plan);
  CHECK(resolved.find('\x7f') == std::string::npos);
  CHECK(resolved.find("\\u007f") != std::string::npos);
  CHECK(parse_spec_text(resolved, "resolved").description == text);
}

TEST_CASE("a seed given on the command line wins over the file's", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = make_plan(parse_spec_text(testing::smoke_workflow(), "smoke.toml"), loader,
                              PlanOptions{std::uint64_t{9}, {builtin_data_dir()}});
  CHECK(plan.root_seed == 9);
  CHECK(plan.stages[1].seed == derive_seed(9, "embed"));
}

TEST_CASE("each bad plan gives one line naming the place, expected and found", "[plan]") {
  const std::string smoke = testing::smoke_workflow();
  struct Case {
    const char* what;
    std::string text;
    std::string where;  // "" when the message names no place
    std::string message;
  };
  auto with = [&](const std::string& from, const std::string& to) {
    return replace(smoke, from, to);
  };
  const std::string two_embeddings =
      smoke + "\n[[stage]]\nid = \"embed2\"\nplugin = \"synthetic_embeddings\"\n";
  const std::vector<Case> cases{
      {"unknown plugin", with("plugin = \"cohort_simulator\"", "plugin = \"cohort_simulater\""), "",
       "stage \"cohort\": unknown plugin \"cohort_simulater\": no rxflow-cohort_simulater.so in"},
      {"plugin name with a path",
       with("plugin = \"cohort_simulator\"", "plugin = \"x/../../evil\""), "",
       "stage \"cohort\": plugin name \"x/../../evil\" is not an identifier"},
      {"unknown parameter", with("n = 200", "patients = 200"), "patients = 200",
       "stage \"cohort\": unknown parameter \"patients\" for plugin \"cohort_simulator\" (known: "
       "n, alpha,"},
      {"wrong type", with("n = 200", "n = \"ten\""), "n = \"ten\"",
       "stage \"cohort\": parameter \"n\" must be an integer in [1, 100000000], got \"ten\""},
      {"float for an integer", with("n = 200", "n = 2.5"), "n = 2.5",
       "stage \"cohort\": parameter \"n\" must be an integer in [1, 100000000], got 2.5"},
      {"out of range", with("alpha = 0.6", "alpha = -1"), "alpha = -1",
       "stage \"cohort\": parameter \"alpha\" must be a number in [0.0, 100.0], got -1"},
      {"not a choice", with("beta = 0.4", "beta = 0.4\nbalance = \"even\""), "balance = ",
       "stage \"cohort\": parameter \"balance\" must be a string, one of \"none\", \"centered\", "
       "\"prevalence\", got \"even\""},
      {"list of the wrong length",
       with("beta = 0.4", "beta = 0.4\ngender_probabilities = [0.5, 0.5]"), "",
       "parameter \"gender_probabilities\" must be a list of 3 numbers, each in [0.0, 1.0]"},
      {"a NUL in a string", with("beta = 0.4", "beta = 0.4\nbalance = \"no\\u0000ne\""),
       "balance = ", "stage \"cohort\": parameter \"balance\" must be a string"},
      {"missing required parameter",
       with("plugin = \"synthetic_embeddings\"\n[stage.params]\ndim = 32",
            "plugin = \"failing_embeddings\""),
       "[[stage]]\nid = \"embed\"",
       "stage \"embed\": missing required parameter \"code\" (an integer in [0, 9]) for plugin "
       "\"failing_embeddings\""},
      {"missing file", with("dim = 32", "dictionary = \"nowhere.txt\""), "dictionary = ",
       "stage \"embed\": parameter \"dictionary\": file \"nowhere.txt\" not found (looked in"},
      {"unknown input port",
       with("beta = 0.4", "beta = 0.4\n[stage.inputs]\nnames = \"embed.drug_names\""), "names = ",
       "stage \"cohort\": unknown input \"names\" for plugin \"cohort_simulator\" (inputs: "
       "drug_names, embeddings, request_patients)"},
      {"input bound to no stage",
       with("beta = 0.4", "beta = 0.4\n[stage.inputs]\nembeddings = \"embedding.embeddings\""), "",
       "stage \"cohort\": input \"embeddings\" is bound to \"embedding.embeddings\", but there "
       "is no stage \"embedding\""},
      {"input bound to no output",
       with("beta = 0.4", "beta = 0.4\n[stage.inputs]\nembeddings = \"embed.vectors\""), "",
       "stage \"cohort\": input \"embeddings\" is bound to \"embed.vectors\", but plugin "
       "\"synthetic_embeddings\" has no output \"vectors\""},
      {"input of another type",
       with("beta = 0.4", "beta = 0.4\n[stage.inputs]\nembeddings = \"embed.unknown_drugs\""), "",
       "stage \"cohort\": input \"embeddings\" expects float64[2-d], but \"embed.unknown_drugs\" "
       "is "
       "string[1-d]"},
      {"no output of the name",
       with("plugin = \"synthetic_embeddings\"\n[stage.params]\ndim = 32",
            "plugin = \"patient_requests\""),
       "[[stage]]\nid = \"cohort\"",
       "stage \"cohort\": input \"drug_names\" (string[1-d]) of plugin \"cohort_simulator\" is not "
       "bound and no other stage has an output \"drug_names\" of that type"},
      {"several outputs of the name", two_embeddings, "[[stage]]\nid = \"cohort\"",
       "stage \"cohort\": input \"drug_names\" (string[1-d]) matches the outputs of 2 stages "
       "(embed.drug_names, embed2.drug_names); bind it in [stage.inputs]"},
      {"cycle",
       with("[[stage]]\nid = \"cohort\"",
            "[[stage]]\nid = \"a\"\nplugin = \"cohort_simulator\"\n[stage.inputs]\ndrug_names = "
            "\"embed.drug_names\"\nembeddings = \"b.features\"\n\n[[stage]]\nid = \"b\"\nplugin = "
            "\"cohort_simulator\"\n[stage.inputs]\ndrug_names = \"embed.drug_names\"\nembeddings = "
            "\"a.features\"\n\n[[stage]]\nid = \"cohort\""),
       "", "the stages form a cycle: a -> b -> a (each takes an input from the next)"},
      {"rows for a plugin without rows", with("dim = 32", "dim = 32\n[[stage.rows]]\nx = 1"),
       "[[stage.rows]]\nx",
       "stage \"embed\": plugin \"synthetic_embeddings\" takes no rows ([[stage.rows]])"},
      {"unknown row column", with("age = 52", "age = 52\nheight = 170"), "height = ",
       "stage \"requests\": unknown row 1 column \"height\" for plugin \"patient_requests\" "
       "(known: patient_id, age,"},
      {"missing row column", with("drug = \"DrugA\"\n", ""), "[[stage.rows]]",
       "stage \"requests\": missing required row 1 column \"drug\" (a string)"},
      {"age out of range", with("age = 52", "age = 120"), "age = 120",
       "stage \"requests\": row 1 column \"age\" must be a number in [18.0, 90.0], got 120"},
      {"gender unknown", with("gender = \"female\"", "gender = \"f\""), "gender = ",
       "stage \"requests\": row 1 column \"gender\" must be a string, one of \"male\", \"female\", "
       "\"other\", got \"f\""},
      {"marker above one", with("genetic_marker = 0.72", "genetic_marker = 1.5"),
       "genetic_marker = ",
       "row 1 column \"genetic_marker\" must be a number in [0.0, 1.0], got 1.5"},
      {"newline in a drug", with("drug = \"DrugA\"", "drug = \"Drug\\nA\""),
       "[[stage]]\nid = \"requests\"",
       "stage \"requests\" (plugin patient_requests): row 1: drug holds a control character "
       "(code 10)"},
      {"a NUL in a drug", with("drug = \"DrugA\"", "drug = \"Dr\\u0000ugA\""),
       "drug = ", "stage \"requests\": row 1 column \"drug\" must be a string"},
      {"empty drug", with("drug = \"DrugA\"", "drug = \"  \""), "",
       "stage \"requests\" (plugin patient_requests): row 1: drug is empty"},
      {"duplicate request differing in case",
       with("drug = \"DrugA\"",
            "drug = \"DrugA\"\n[[stage.rows]]\npatient_id = \"case-study-patient\"\nage = 40\n"
            "weight_kg = 70\ngender = \"male\"\ngenetic_marker = 0.1\ncomorbidity = 0.1\n"
            "drug = \" druga \""),
       "", "row 2: patient \"case-study-patient\" with drug \" druga \" repeats row 1"},
      {"a plugin's check that throws something else",
       smoke + "\n[[stage]]\nid = \"t\"\nplugin = \"tally\"\n[stage.params]\nthrow_in = "
               "\"check\"\nthrow_what = \"int\"\n",
       "[[stage]]\nid = \"t\"",
       "stage \"t\" (plugin tally): the plugin's check threw something that is not a "
       "std::exception"},
      {"unknown drug in the cohort's drugs",
       with("beta = 0.4", "beta = 0.4\ndrugs = [\"DrugA\", \"NoSuchDrug\"]"),
       "[[stage]]\nid = \"cohort\"",
       "stage \"cohort\" (plugin cohort_simulator): parameter drugs names \"NoSuchDrug\", which is "
       "not in the embedding table"},
      {"unknown request drug under the error policy",
       replace(with("dim = 32", "dim = 32\nunknown_drug = \"error\""), "drug = \"DrugA\"",
               "drug = \"Nope\""),
       "",
       "stage \"embed\" (plugin synthetic_embeddings): request 1: drug \"Nope\" is not in the "
       "dictionary (unknown_drug = \"error\")"},
      {"a tunable that is not a parameter",
       smoke + "\n[serve]\ntunable = [\"cohort.alpha\", \"cohort.patients\"]\n",
       "\"cohort.patients\"",
       "[serve] tunable \"cohort.patients\": plugin \"cohort_simulator\" of stage \"cohort\" has "
       "no parameter \"patients\" (known: n, alpha,"},
      {"a list parameter as tunable", smoke + "\n[serve]\ntunable = [\"cohort.drugs\"]\n",
       "\"cohort.drugs\"",
       "[serve] tunable \"cohort.drugs\" is a string list parameter; a form field holds an int, "
       "float, bool or string parameter only"},
      {"a file parameter as tunable", smoke + "\n[serve]\ntunable = [\"embed.dictionary\"]\n",
       "\"embed.dictionary\"", "[serve] tunable \"embed.dictionary\" is a file parameter"},
      {"a reporter feeds nothing",
       testing::read_text(RXFLOW_SOURCE_DIR "/workflows/case_study.toml") +
           "\n[[stage]]\nid = \"c2\"\nplugin = \"tally\"\n[stage.inputs]\nvalues = "
           "\"report.files\"\n",
       "",
       "stage \"c2\": input \"values\" is bound to \"report.files\", but \"report\" renders "
       "the run (kind reporter) and feeds no other stage"},
  };
  PluginLoader loader = test_loader();
  for (const Case& c : cases) {
    INFO(c.what);
    try {
      plan_text(c.text, loader);
      FAIL("no error for: " << c.what);
    } catch (const InputError& error) {
      const std::string message = error.what();
      CHECK_THAT(message, Catch::Matchers::Contains(c.message));
      CHECK(message.find('\n') == std::string::npos);
      if (!c.where.empty()) {
        // A value is named where it starts, a stage or row where its table starts.
        const std::size_t skip = c.where.front() != '[' && c.where.find(" = ") != std::string::npos
                                     ? c.where.find(" = ") + 3
                                     : 0;
        CHECK_THAT(message,
                   Catch::Matchers::Contains(at(c.text, c.where, static_cast<int>(skip)) + ": "));
      }
    }
  }
}

TEST_CASE("a bad dictionary or embedding table is bad input, not a failed run", "[plan]") {
  testing::TempDir dir;
  PluginLoader loader = test_loader();
  const std::string smoke = testing::smoke_workflow();
  auto plan_with = [&](const std::string& params) {
    const std::string text = replace(smoke, "dim = 32", params);
    return make_plan(parse_spec_text(text, dir.write("w.toml", text)), loader,
                     PlanOptions{std::nullopt, {builtin_data_dir()}});
  };
  dir.write("empty.txt", "# no drugs\n\n");
  CHECK_THROWS_WITH(plan_with("dictionary = \"empty.txt\""),
                    Catch::Matchers::Contains("empty.txt: the dictionary lists no drugs"));
  dir.write("twice.txt", "DrugA\ndruga\n");
  CHECK_THROWS_WITH(
      plan_with("dictionary = \"twice.txt\""),
      Catch::Matchers::Contains("twice.txt:2") && Catch::Matchers::Contains("already"));
  const std::string table_stage =
      replace(smoke, "plugin = \"synthetic_embeddings\"\n[stage.params]\ndim = 32",
              "plugin = \"table_embeddings\"\n[stage.params]\ntable = \"nan.csv\"");
  dir.write("nan.csv", "name,a,b\nDrugA,0.5,nan\n");
  const std::string path = dir.write("t.toml", table_stage);
  CHECK_THROWS_WITH(make_plan(parse_spec_text(table_stage, path), loader,
                              PlanOptions{std::nullopt, {builtin_data_dir()}}),
                    Catch::Matchers::Contains("nan.csv:2: column \"b\": expected a finite number"));
}

}  // namespace
}  // namespace rxflow

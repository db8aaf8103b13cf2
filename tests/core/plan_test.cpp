// Planning: plugins found, parameters checked and defaulted, inputs bound,
// stages ordered, seeds derived; and a one-line error for each bad case.
#include "plan/plan.h"

#include <catch2/catch.hpp>

#include "support/errors.h"
#include "support/install_paths.h"
#include "rxflow/seed.h"
#include "support/sha256.h"
#include "test_support.h"

namespace rxflow {
namespace {

PluginLoader test_loader() { return PluginLoader({builtin_plugin_dir(), RXFLOW_TEST_PLUGIN_DIR}); }

Plan plan_text(const std::string& text, PluginLoader& loader) {
  return make_plan(parse_spec_text(text, RXFLOW_SOURCE_DIR "/workflows/test.toml"), loader,
                   PlanOptions{std::nullopt, {builtin_data_dir()}});
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("the smoke workflow plans in dependency order with derived seeds", "[plan]") {
  PluginLoader loader = test_loader();
  // Stages written downstream first still run upstream first.
  std::string text = testing::smoke_workflow();
  const auto cohort_at = text.find("[[stage]]\nid = \"cohort\"");
  const auto request_at = text.find("# The patient");
  const std::string cohort = text.substr(cohort_at, request_at - cohort_at);
  text.erase(cohort_at, cohort.size());
  text.insert(text.find("[[stage]]"), cohort);
  const Plan plan = plan_text(text, loader);
  REQUIRE(plan.stages.size() == 2);
  CHECK(plan.stages[0].id == "embed");
  CHECK(plan.stages[1].id == "cohort");
  CHECK(plan.root_seed == 42);
  CHECK(plan.stages[0].seed == derive_seed(42, "embed"));
  CHECK(plan.stages[1].seed == derive_seed(42, "cohort"));
  const ResolvedParam& dictionary = plan.stages[0].params[1];
  CHECK(dictionary.spec.name == "dictionary");
  CHECK(dictionary.origin == "default");
  CHECK(dictionary.file_path == builtin_data_dir() + "/synthetic_drugs.txt");
  CHECK(dictionary.file_sha256 == sha256_file_hex(RXFLOW_SOURCE_DIR "/data/synthetic_drugs.txt"));
  const ResolvedParam& n = plan.stages[1].params[0];
  CHECK(n.spec.name == "n");
  CHECK(std::get<std::int64_t>(n.value) == 200);
  CHECK_THAT(n.origin, Catch::Matchers::EndsWith("test.toml:13:5"));
}

TEST_CASE("the resolved workflow reads back to the same plan", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = plan_text(testing::smoke_workflow(), loader);
  const std::string resolved = resolved_workflow_toml(plan);
  const Plan again = plan_text(resolved, loader);
  CHECK(resolved_workflow_toml(again) == resolved);
  CHECK(again.stages[1].params.size() == plan.stages[1].params.size());
}

TEST_CASE("a seed given on the command line wins over the file's", "[plan]") {
  PluginLoader loader = test_loader();
  const Plan plan = make_plan(parse_spec_text(testing::smoke_workflow(), "smoke.toml"), loader,
                              PlanOptions{std::uint64_t{9}, {builtin_data_dir()}});
  CHECK(plan.root_seed == 9);
  CHECK(plan.stages[0].seed == derive_seed(9, "embed"));
}

TEST_CASE("each bad plan gives one line naming the place, expected and found", "[plan]") {
  const std::string smoke = testing::smoke_workflow();
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"unknown plugin",
       replace(smoke, "plugin = \"cohort_simulator\"", "plugin = \"cohort_simulater\""),
       "test.toml:15:1: stage \"cohort\": unknown plugin \"cohort_simulater\": no "
       "rxflow-cohort_simulater.so in"},
      {"unknown parameter", replace(smoke, "n = 200", "patients = 200"),
       "test.toml:19:12: stage \"cohort\": unknown parameter \"patients\" for plugin "
       "\"cohort_simulator\" (known: n, alpha,"},
      {"wrong type", replace(smoke, "n = 200", "n = \"ten\""),
       "test.toml:19:5: stage \"cohort\": parameter \"n\" must be an integer in [1, 100000000], "
       "got \"ten\""},
      {"float for an integer", replace(smoke, "n = 200", "n = 2.5"),
       "test.toml:19:5: stage \"cohort\": parameter \"n\" must be an integer in [1, 100000000], "
       "got 2.5"},
      {"out of range", replace(smoke, "alpha = 0.6", "alpha = -1"),
       "test.toml:20:9: stage \"cohort\": parameter \"alpha\" must be a number in [0.0, 100.0], "
       "got -1"},
      {"not a choice", replace(smoke, "beta = 0.4", "beta = 0.4\nbalance = \"even\""),
       "test.toml:22:11: stage \"cohort\": parameter \"balance\" must be a string, one of "
       "\"none\", \"centered\", \"prevalence\", got \"even\""},
      {"list of the wrong length",
       replace(smoke, "beta = 0.4", "beta = 0.4\ngender_probabilities = [0.5, 0.5]"),
       "parameter \"gender_probabilities\" must be a list of 3 numbers, each in [0.0, 1.0], got [ "
       "0.5, 0.5 ]"},
      {"missing required parameter",
       replace(smoke, "plugin = \"synthetic_embeddings\"\n[stage.params]\ndim = 32",
               "plugin = \"failing_embeddings\""),
       "test.toml:9:1: stage \"embed\": missing required parameter \"code\" (an integer in [0, 9]) "
       "for plugin \"failing_embeddings\""},
      {"missing file", replace(smoke, "dim = 32", "dictionary = \"nowhere.txt\""),
       "test.toml:13:14: stage \"embed\": parameter \"dictionary\": file \"nowhere.txt\" not found "
       "(looked in"},
      {"unknown input port",
       replace(smoke, "drug_names = \"embed.drug_names\"",
               "drug_names = \"embed.drug_names\"\nnames = \"embed.drug_names\""),
       "test.toml:24:9: stage \"cohort\": unknown input \"names\" for plugin \"cohort_simulator\" "
       "(inputs: drug_names, embeddings)"},
      {"input bound to no stage",
       replace(smoke, "\"embed.embeddings\"", "\"embedding.embeddings\""),
       "test.toml:24:14: stage \"cohort\": input \"embeddings\" is bound to "
       "\"embedding.embeddings\", but there is no stage \"embedding\""},
      {"input bound to no output", replace(smoke, "\"embed.embeddings\"", "\"embed.vectors\""),
       "stage \"cohort\": input \"embeddings\" is bound to \"embed.vectors\", but plugin "
       "\"synthetic_embeddings\" has no output \"vectors\""},
      {"input of another type", replace(smoke, "\"embed.embeddings\"", "\"embed.unknown_drugs\""),
       "stage \"cohort\": input \"embeddings\" expects float64[2-d], but \"embed.unknown_drugs\" "
       "is string[1-d]"},
      {"unbound input", replace(smoke, "embeddings = \"embed.embeddings\"\n", ""),
       "test.toml:15:1: stage \"cohort\": input \"embeddings\" (float64[2-d]) of plugin "
       "\"cohort_simulator\" is not bound"},
      {"cycle",
       replace(smoke, "[[stage]]\nid = \"cohort\"",
               "[[stage]]\nid = \"a\"\nplugin = \"cohort_simulator\"\n[stage.inputs]\ndrug_names = "
               "\"embed.drug_names\"\n"
               "embeddings = \"b.features\"\n\n[[stage]]\nid = \"b\"\nplugin = "
               "\"cohort_simulator\"\n[stage.inputs]\n"
               "drug_names = \"embed.drug_names\"\nembeddings = \"a.features\"\n\n[[stage]]\nid = "
               "\"cohort\""),
       "the stages form a cycle: a -> b -> a (each takes an input from the next)"},
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
    }
  }
}

}  // namespace
}  // namespace rxflow

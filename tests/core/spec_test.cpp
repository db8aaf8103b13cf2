// Spec parsing: what the file says, where each value came from, and a
// one-line error naming file:line:column and the key for each bad input.
#include "spec/spec.h"

#include <catch2/catch.hpp>

#include "support/errors.h"
#include "test_support.h"

namespace rxflow {
namespace {

constexpr const char* kValid = R"([workflow]
name = "demo"
description = "two stages"
seed = 7

[[stage]]
id = "embed"
plugin = "synthetic_embeddings"
[stage.params]
dim = 16
names = ["a", "b"]

[[stage]]
id = "cohort"
plugin = "cohort_simulator"
[stage.params]
alpha = 0.25
[stage.inputs]
embeddings = "embed.embeddings"

[[stage.rows]]
patient_id = "p1"
age = 52
weight_kg = 82.5
gender = "female"
genetic_marker = 0.72
comorbidity = 0.3
drug = " DrugA "
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("parse_spec_text keeps values and their locations", "[spec]") {
  const Spec spec = parse_spec_text(kValid, "demo.toml");
  CHECK(spec.name == "demo");
  CHECK(spec.seed == 7u);
  REQUIRE(spec.stages.size() == 2);
  const StageSpec& embed = spec.stages[0];
  CHECK(embed.plugin == "synthetic_embeddings");
  CHECK(std::get<std::int64_t>(embed.params.at("dim").value) == 16);
  CHECK(embed.params.at("dim").where.to_string() == "demo.toml:10:7");
  CHECK(std::get<std::vector<std::string>>(embed.params.at("names").value).size() == 2);
  const InputBinding& binding = spec.stages[1].inputs.at("embeddings");
  CHECK(binding.stage == "embed");
  CHECK(binding.output == "embeddings");
  // Rows are kept as written, each value with its location; the plugin's
  // row schema checks them when the plan is made.
  REQUIRE(spec.stages[1].rows.size() == 1);
  const SpecRow& row = spec.stages[1].rows[0];
  CHECK(row.where.to_string() == "demo.toml:21:1");
  CHECK(std::get<std::string>(row.values.at("gender").value) == "female");
  CHECK(std::get<double>(row.values.at("weight_kg").value) == 82.5);
  CHECK(row.values.at("age").where.to_string() == "demo.toml:23:7");
  CHECK(std::get<std::string>(row.values.at("drug").value) == " DrugA ");
  CHECK(spec.stages[0].rows.empty());
}

TEST_CASE("inputs = \"auto\" leaves every input to binding by name", "[spec]") {
  const Spec spec = parse_spec_text(
      replace(replace(kValid, "[stage.inputs]\nembeddings = \"embed.embeddings\"\n", ""),
              "plugin = \"cohort_simulator\"\n",
              "plugin = \"cohort_simulator\"\ninputs = \"auto\"\n"),
      "demo.toml");
  CHECK(spec.stages[1].inputs.empty());
  CHECK(spec.stages[1].params.count("inputs") == 0);
}

TEST_CASE("each bad spec gives one line naming file:line:column, key, expected and found",
          "[spec]") {
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"TOML syntax", replace(kValid, "dim = 16", "dim = = 16"),
       "bad.toml:10:7: TOML syntax error"},
      {"unknown top-level key", std::string(kValid) + "\n[extra]\n",
       "bad.toml:30:2: unknown key \"extra\" in the workflow file"},
      {"unknown stage key",
       replace(kValid, "plugin = \"cohort_simulator\"",
               "plugin = \"cohort_simulator\"\nplugins = 1"),
       "bad.toml:16:1: unknown key \"plugins\" in [[stage]]"},
      {"top-level request", std::string(kValid) + "\n[[request]]\npatient_id = \"p\"\n",
       "bad.toml:30:1: top-level [[request]] tables are no longer read"},
      {"inputs neither a table nor auto",
       replace(replace(kValid, "[stage.inputs]\nembeddings = \"embed.embeddings\"\n", ""),
               "plugin = \"cohort_simulator\"\n",
               "plugin = \"cohort_simulator\"\ninputs = \"all\"\n"),
       "bad.toml:16:10: stage \"cohort\": inputs must be a table of bindings or \"auto\", got "
       "\"all\""},
      {"row value a table", replace(kValid, "age = 52", "age = { years = 52 }"),
       "bad.toml:23:7: stage \"cohort\": row: column \"age\" must be a number, boolean, string "
       "or list, got a table"},
      {"rows as one table", replace(kValid, "[[stage.rows]]", "[stage.rows]"),
       "bad.toml:21:1: \"stage.rows\" must be an array of tables ([[stage.rows]]), got a table"},
      {"missing workflow",
       replace(kValid, "[workflow]\nname = \"demo\"\ndescription = \"two stages\"\nseed = 7", ""),
       "missing the [workflow] table"},
      {"workflow name not an identifier", replace(kValid, "name = \"demo\"", "name = \"my demo\""),
       "bad.toml:2:8: [workflow] name must be an identifier"},
      {"negative seed", replace(kValid, "seed = 7", "seed = -1"),
       "bad.toml:4:8: [workflow] seed must be a non-negative integer, got -1"},
      {"duplicate stage id", replace(kValid, "id = \"cohort\"", "id = \"embed\""),
       "bad.toml:13:1: duplicate stage id \"embed\""},
      {"stage id with a dot", replace(kValid, "id = \"cohort\"", "id = \"co.hort\""),
       "bad.toml:14:6: stage id must be an identifier"},
      {"missing plugin", replace(kValid, "plugin = \"cohort_simulator\"\n", ""),
       "bad.toml:13:1: stage \"cohort\" is missing the required key \"plugin\""},
      {"plugin not a string", replace(kValid, "plugin = \"cohort_simulator\"", "plugin = 3"),
       "bad.toml:15:10: stage \"cohort\": plugin must be a string, got an integer 3"},
      {"binding without a dot", replace(kValid, "\"embed.embeddings\"", "\"embed\""),
       "bad.toml:19:14: stage \"cohort\": input \"embeddings\" must name an upstream output as "
       "\"stage.output\""},
      {"mixed list", replace(kValid, "names = [\"a\", \"b\"]", "names = [\"a\", 2]"),
       "bad.toml:11:9: stage \"embed\": parameter \"names\" must be a list of numbers or a list of "
       "strings, got [ 'a', 2 ]"},
      {"table as parameter", replace(kValid, "dim = 16", "dim = { a = 1 }"),
       "bad.toml:10:7: stage \"embed\": parameter \"dim\" must be a number, boolean, string or "
       "list, got a table"},
      {"unknown key in [serve]", std::string(kValid) + "\n[serve]\ntunables = [\"cohort.alpha\"]\n",
       "bad.toml:31:1: unknown key \"tunables\" in [serve] (expected one of tunable)"},
      {"tunable not a list", std::string(kValid) + "\n[serve]\ntunable = \"cohort.alpha\"\n",
       "bad.toml:31:11: [serve] tunable must be a list of \"stage.param\" names, got "
       "\"cohort.alpha\""},
      {"tunable not stage.param", std::string(kValid) + "\n[serve]\ntunable = [\"alpha\"]\n",
       "bad.toml:31:12: [serve] tunable \"alpha\" must name a parameter as \"stage.param\""},
      {"tunable of no stage", std::string(kValid) + "\n[serve]\ntunable = [\"train.epochs\"]\n",
       "bad.toml:31:12: [serve] tunable \"train.epochs\": the workflow has no stage \"train\""},
      {"tunable twice",
       std::string(kValid) + "\n[serve]\ntunable = [\"cohort.alpha\", \"cohort.alpha\"]\n",
       "bad.toml:31:28: [serve] tunable \"cohort.alpha\" is listed twice"},
      {"no stages", "[workflow]\nname = \"x\"\n",
       "bad.toml:1:1: the workflow has no [[stage]] entries"},
      // Found by fuzz_workflow: TOML++ quotes the character it saw, here a line break.
      {"a syntax error at a line break", replace(kValid, "seed = 7", "seed = i"),
       "bad.toml:4:9: TOML syntax error: Error while parsing floating-point: expected 'inf', saw "
       "'i\\n'"},
      // Found by fuzz_workflow: a quoted key holding a line break, quoted back in the message.
      {"a key with a line break",
       replace(kValid, "embeddings = \"embed.embeddings\"", "\"embed\\ndings\" = { a = 1 }"),
       "bad.toml:19:18: stage \"cohort\": input \"embed\\ndings\" must be a string, got a table"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    try {
      parse_spec_text(c.text, "bad.toml");
      FAIL("no error for: " << c.what);
    } catch (const InputError& error) {
      const std::string message = error.what();
      CHECK_THAT(message,
                 Catch::Matchers::StartsWith("bad.toml") && Catch::Matchers::Contains(c.message));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("an unreadable workflow file is an InputError naming it", "[spec]") {
  CHECK_THROWS_WITH(
      parse_spec_file("/nonexistent/x.toml"),
      Catch::Matchers::StartsWith("/nonexistent/x.toml: cannot read the workflow file"));
}

TEST_CASE("overrides are parsed as TOML values and recorded", "[spec]") {
  Spec spec = parse_spec_text(kValid, "demo.toml");
  apply_override(spec, "embed.dim=8");
  apply_override(spec, "cohort.rule=bernoulli");
  CHECK(std::get<std::int64_t>(spec.stages[0].params.at("dim").value) == 8);
  CHECK(spec.stages[0].params.at("dim").where.to_string() == "--set embed.dim=8");
  CHECK(std::get<std::string>(spec.stages[1].params.at("rule").value) == "bernoulli");
  CHECK(spec.overrides == std::vector<std::string>{"embed.dim=8", "cohort.rule=bernoulli"});
  CHECK_THROWS_WITH(apply_override(spec, "nostage.x=1"),
                    Catch::Matchers::Contains("no stage \"nostage\""));
  CHECK_THROWS_WITH(apply_override(spec, "embed=1"),
                    Catch::Matchers::Contains("expected stage.param=value"));
  // A string the resolved workflow could not hold is refused where it enters.
  CHECK_THROWS_WITH(apply_override(spec, "embed.name=\xff\xfe"),
                    Catch::Matchers::Contains("cannot be stored in a workflow"));
  set_param(spec, "cohort", "alpha", ParamValue{0.5});
  CHECK(std::get<double>(spec.stages[1].params.at("alpha").value) == 0.5);
  CHECK(spec.overrides.back() == "cohort.alpha=0.5");
}

TEST_CASE("set_row replaces a stage's rows by one typed row and records it", "[spec]") {
  Spec spec = parse_spec_text(kValid, "x.toml");
  ParamRow row;
  row.values = {{"patient_id", std::string("p2")}, {"age", std::int64_t{40}}};
  set_row(spec, "cohort", row, "form");
  REQUIRE(spec.stages[1].rows.size() == 1);
  const SpecRow& written = spec.stages[1].rows.front();
  CHECK(std::get<std::int64_t>(written.values.at("age").value) == 40);
  CHECK(std::get<std::string>(written.values.at("patient_id").value) == "p2");
  CHECK(written.values.at("age").where.to_string() == "form");
  CHECK(spec.overrides.back() == "cohort.rows=[" + format_param_row(row) + "]");

  CHECK_THROWS_WITH(set_row(spec, "train", row, "form"),
                    "form: the workflow has no stage \"train\"");
  ParamRow not_utf8;
  not_utf8.values = {{"drug", std::string("\xff\xfe")}};
  CHECK_THROWS_WITH(set_row(spec, "cohort", not_utf8, "form"),
                    Catch::Matchers::StartsWith(
                        "form: stage \"cohort\": row 1 column \"drug\": the value cannot be "
                        "stored in a workflow"));
  CHECK(spec.stages[1].rows.front().values.count("age") == 1);  // a refused row changes nothing
}

}  // namespace
}  // namespace rxflow

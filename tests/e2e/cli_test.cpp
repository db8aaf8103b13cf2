// The rxflow command as a user runs it: exit codes, messages, run files.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <regex>

#include "rxflow/seed.h"
#include "store/run_reader.h"
#include "test_support.h"

namespace rxflow {
namespace {

using testing::first_line;
using testing::run_rxflow;

// Artifact name -> sha256, from a run file.
std::map<std::string, std::string> artifact_hashes(const std::string& run_file) {
  std::map<std::string, std::string> hashes;
  for (const StoredStage& stage : RunReader(run_file).stages()) {
    for (const ArtifactRecord& artifact : stage.record.outputs) {
      hashes[stage.record.id + "." + artifact.name] = artifact.sha256;
    }
  }
  return hashes;
}

TEST_CASE("running the smoke workflow twice with one seed gives identical artifacts", "[e2e]") {
  testing::TempDir out;
  const auto first = run_rxflow("run workflows/smoke.toml --out " + out.path());
  REQUIRE(first.exit_code == 0);
  const auto second = run_rxflow("run workflows/smoke.toml --quiet --out " + out.path());
  REQUIRE(second.exit_code == 0);
  const auto other_seed =
      run_rxflow("run workflows/smoke.toml --quiet --seed 7 --out " + out.path());
  REQUIRE(other_seed.exit_code == 0);

  const std::string a = first_line(first.out), b = first_line(second.out),
                    c = first_line(other_seed.out);
  CHECK(std::regex_match(a, std::regex(".*/smoke/[0-9]{8}-[0-9]{6}-[0-9a-f]{6}\\.h5")));
  CHECK(a != b);
  CHECK(second.err.empty());  // --quiet
  CHECK_THAT(first.err, Catch::Matchers::Contains("stage embed") &&
                            Catch::Matchers::Contains("synthetic_embeddings"));

  const auto hashes_a = artifact_hashes(a), hashes_b = artifact_hashes(b),
             hashes_c = artifact_hashes(c);
  CHECK(hashes_a.size() == 18);  // 3 of the requests, 4 of the embeddings, 11 of the cohort
  CHECK(hashes_a == hashes_b);
  CHECK(RunReader(a).attribute("root_hash") == RunReader(b).attribute("root_hash"));
  // The embeddings do not depend on the run seed; the cohort does.
  CHECK(hashes_c.at("embed.embeddings") == hashes_a.at("embed.embeddings"));
  CHECK(hashes_c.at("cohort.features") != hashes_a.at("cohort.features"));
  CHECK(hashes_c.at("cohort.labels") != hashes_a.at("cohort.labels"));
  CHECK(RunReader(c).attribute("root_hash") != RunReader(a).attribute("root_hash"));
}

TEST_CASE("the run file is readable with h5dump alone and records what made it", "[e2e]") {
  testing::TempDir out;
  const auto run = run_rxflow(
      "run workflows/smoke.toml --quiet --set cohort.n=50 --set embed.dim=8 --out " + out.path());
  REQUIRE(run.exit_code == 0);
  const std::string file = first_line(run.out);
  const RunReader reader(file);
  CHECK(reader.attribute("status") == "complete");
  CHECK(reader.attribute("root_seed") == "42");
  CHECK(reader.overrides() == std::vector<std::string>{"cohort.n=50", "embed.dim=8"});
  CHECK(reader.workflow_text() == testing::smoke_workflow());
  CHECK_THAT(reader.resolved_workflow(),
             Catch::Matchers::Contains("n = 50\n") && Catch::Matchers::Contains("dim = 8\n"));
  const auto stages = reader.stages();
  REQUIRE(stages.size() == 3);
  CHECK(stages[2].record.param_origins.size() == stages[2].record.params.size());
  CHECK(stages[0].record.rows.size() == 1);
  CHECK(reader.read_artifact("cohort", "features").shape == std::vector<std::uint64_t>{50, 7});
  CHECK(reader.read_artifact("cohort", "request_features").shape ==
        std::vector<std::uint64_t>{1, 7});
  CHECK(reader.read_artifact("cohort", "patients").columns.at(1) == "weight_kg");

  testing::TempDir capture;
  const std::string dump = capture.file("dump.txt");
  REQUIRE(std::system(("h5dump -a /stages/cohort/record -d /stages/cohort/artifacts/labels '" +
                       file + "' > '" + dump + "'")
                          .c_str()) == 0);
  const std::string text = testing::read_text(dump);
  CHECK_THAT(text, Catch::Matchers::Contains("plugin_sha256 = " + stages[2].record.plugin_sha256));
  CHECK_THAT(text, Catch::Matchers::Contains("DATASPACE  SIMPLE { ( 50 ) / ( 50 ) }"));

  const auto show = run_rxflow("show '" + file + "'");
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Matchers::Contains("artifact features") &&
                           Catch::Matchers::Contains("[50, 7]"));
}

TEST_CASE("show into a pipe nobody reads ends as a pipe's writer does, not as a damaged file",
          "[e2e]") {
  testing::TempDir out;
  const std::string run = run_into(out, "workflows/smoke.toml");
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  ::close(pipe_fds[0]);  // the reader is gone before rxflow writes, as `| head` after its lines
  const std::string err = out.file("stderr.txt");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err_fd, STDERR_FILENO);
    ::execl(RXFLOW_BIN, RXFLOW_BIN, "show", run.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE));
  CHECK(testing::read_text(err).empty());  // before: "reading it crashed the HDF5 library"
}

TEST_CASE("bad input exits 2 with one line and leaves no run file", "[e2e]") {
  testing::TempDir dir;
  const std::string smoke = testing::smoke_workflow();
  const std::string bad_range =
      dir.write("range.toml", std::regex_replace(smoke, std::regex("n = 200"), "n = 0"));
  const std::string bad_syntax = dir.write("syntax.toml", smoke + "\n[[stage]\n");
  const std::string out = " --out " + dir.file("results");
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"run " + bad_range,
       "range.toml:32:5: stage \"cohort\": parameter \"n\" must be an integer in [1, 100000000], "
       "got 0"},
      {"run " + bad_syntax, "syntax.toml:36:"},
      {"run " + dir.file("missing.toml"), "missing.toml: cannot read the workflow file"},
      {"run workflows/smoke.toml --set cohort.epochs=3",
       "--set cohort.epochs=3: stage \"cohort\": unknown parameter \"epochs\""},
      {"run workflows/smoke.toml --set cohort.alpha=high",
       "--set cohort.alpha=high: stage \"cohort\": parameter \"alpha\" must be a number in [0.0, "
       "100.0], got \"high\""},
      {"run workflows/smoke.toml --seed -3",
       "--seed must be an integer in [0, 9223372036854775807], got \"-3\""},
      {"run workflows/smoke.toml --bogus", "unrecognised option '--bogus'"},
      {"run", "missing the workflow FILE"},
      {"frobnicate", "unknown command \"frobnicate\""},
      {"show " + bad_range, "range.toml: not an HDF5 file"},
      {"plugins describe nothing_here", "unknown plugin \"nothing_here\""},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    const bool run = c.args.rfind("run", 0) == 0;
    const auto result = run_rxflow(c.args + (run ? out : ""));
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Matchers::Contains(c.message));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("results")));
}

TEST_CASE("a plugin that throws fails its stage: exit 1 and a file marked failed", "[e2e]") {
  testing::TempDir dir;
  std::string text = testing::smoke_workflow();
  text = std::regex_replace(
      text, std::regex("plugin = \"synthetic_embeddings\"\n\\[stage.params\\]\ndim = 32"),
      "plugin = \"failing_embeddings\"\n[stage.params]\ncode = 1");
  const std::string workflow = dir.write("failing.toml", text);
  const auto result = run_rxflow("run " + workflow +
                                 " --plugin-path " RXFLOW_TEST_PLUGIN_DIR " --out " + dir.path());
  CHECK(result.exit_code == 1);
  CHECK_THAT(
      result.err,
      Catch::Matchers::Contains(
          "stage \"embed\" (plugin failing_embeddings) failed: deliberate failure for the test"));
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("smoke")))
    files.push_back(entry.path().filename());
  REQUIRE(files.size() == 1);
  CHECK_THAT(files[0], Catch::Matchers::EndsWith(".failed.h5"));
  const RunReader reader(dir.file("smoke/" + files[0]));
  CHECK(reader.attribute("status") == "failed");
  CHECK(reader.attribute("failed_stage") == "embed");

  // Not failing, and found through RXFLOW_PLUGIN_PATH instead of --plugin-path.
  const std::string args =
      "run " + workflow + " --quiet --set embed.fail=false --out " + dir.path();
  CHECK(run_rxflow(args).exit_code == 2);
  const auto ok = run_rxflow(args, "RXFLOW_PLUGIN_PATH=/nonexistent:" RXFLOW_TEST_PLUGIN_DIR);
  CHECK(ok.exit_code == 0);
  CHECK(RunReader(first_line(ok.out)).attribute("status") == "complete");
}

TEST_CASE("validate and --dry-run run nothing and write nothing", "[e2e]") {
  testing::TempDir dir;
  const std::string workflow = dir.write("w.toml", testing::smoke_workflow());
  const auto validate = run_rxflow("validate " + workflow);
  CHECK(validate.exit_code == 0);
  const auto dry =
      run_rxflow("run " + workflow + " --dry-run --set cohort.n=50 --out " + dir.file("results"));
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Catch::Matchers::Contains("input  embeddings") &&
                          Catch::Matchers::Contains("<- embed.embeddings  (by name)"));
  CHECK_THAT(dry.out, Catch::Matchers::Contains("= 50  (--set cohort.n=50)"));
  CHECK_THAT(dry.out, Catch::Matchers::Contains("= 0.6  (" + workflow + ":33:9)"));
  CHECK_THAT(dry.out, Catch::Matchers::Contains("= 0.1  (default)"));
  CHECK_THAT(dry.out,
             Catch::Matchers::Contains("seed " + std::to_string(derive_seed(42, "cohort"))));
  // Nothing was written: the folder holds only the workflow.
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("help, version, validate and plugins answer as documented", "[e2e]") {
  const auto help = run_rxflow("--help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Matchers::Contains("Exit codes: 0 success, 1 a run failed"));
  const auto run_help = run_rxflow("run --help");
  CHECK(run_help.exit_code == 0);
  CHECK_THAT(run_help.out,
             Catch::Matchers::Contains("--set") && Catch::Matchers::Contains("--plugin-path"));
  const auto version = run_rxflow("--version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::Matchers::StartsWith("rxflow 0.1.0 (git "));
  CHECK(run_rxflow("").exit_code == 2);

  const auto validate = run_rxflow("validate workflows/smoke.toml");
  CHECK(validate.exit_code == 0);
  CHECK_THAT(validate.out,
             Catch::Matchers::Contains("valid (3 stages; run order: requests embed cohort)"));

  const auto plugins = run_rxflow("plugins");
  CHECK(plugins.exit_code == 0);
  CHECK_THAT(plugins.out, Catch::Matchers::Contains("cohort_simulator") &&
                              Catch::Matchers::Contains("simulator"));
  const auto broken = run_rxflow("plugins --plugin-path " RXFLOW_TEST_PLUGIN_DIR);
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.out, Catch::Matchers::Contains("plugin ABI version 999"));
  CHECK_THAT(broken.out, Catch::Matchers::Contains("tally") && Catch::Matchers::Contains("tally"));
  const auto describe = run_rxflow("plugins describe cohort_simulator");
  CHECK(describe.exit_code == 0);
  CHECK_THAT(describe.out, Catch::Matchers::Contains("target_prevalence") &&
                               Catch::Matchers::Contains("[0.01, 0.99]"));
}

}  // namespace
}  // namespace rxflow

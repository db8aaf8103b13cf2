// rxflow sweep --executor slurm against a real single-node Slurm that the
// test command starts (scripts/local-slurm, a CTest fixture; SLURM_CONF
// names it): the same root hashes as a local sweep, a failed point reported
// while the others complete, a cancelled submission that leaves resumable
// state, and a resubmission that submits only the points still missing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "store/sweep_index.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testing::run_rxflow;
using testing::TempDir;

// The smoke workflow over two alphas and 20 repeats: 40 points.
constexpr const char* kGrid = "--grid cohort.alpha=0.2,0.4 --repeats 20";

testing::CommandResult sweep(const std::string& workflow, const TempDir& out,
                             const std::string& options) {
  return run_rxflow("sweep '" + workflow + "' --out '" + out.path() + "' --plugin-path '" +
                    RXFLOW_TEST_PLUGIN_DIR "' " + options);
}

nlohmann::json submission(const std::string& folder) {
  std::ifstream file(folder + "/slurm/submission.json");
  return nlohmann::json::parse(file);
}

TEST_CASE("a sweep on Slurm gives the root hashes of the same sweep run locally", "[slurm]") {
  TempDir slurm, local;
  const std::string workflow = RXFLOW_SOURCE_DIR "/workflows/smoke.toml";
  const auto ran =
      sweep(workflow, slurm, std::string(kGrid) + " --executor slurm --points-per-task 10 --wait");
  INFO(ran.err);
  REQUIRE(ran.exit_code == 0);
  CHECK_THAT(ran.err, Contains("40 of 40 points to run (0 complete already) in 4 array tasks"));
  REQUIRE(sweep(workflow, local, std::string(kGrid) + " -j 2 --quiet").exit_code == 0);
  const SweepIndex on_slurm = read_sweep_index(slurm.file("smoke/sweep/sweep.h5"));
  const SweepIndex here = read_sweep_index(local.file("smoke/sweep/sweep.h5"));
  REQUIRE(on_slurm.rows.size() == 40);
  REQUIRE(here.rows.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) {
    INFO("point " << i);
    CHECK(on_slurm.rows[i].status == "complete");
    CHECK(on_slurm.rows[i].root_hash == here.rows[i].root_hash);
    CHECK(on_slurm.rows[i].metrics == here.rows[i].metrics);
    CHECK_THAT(on_slurm.rows[i].where, StartsWith("slurm job "));
  }
  const std::map<std::string, std::string> context(on_slurm.context.begin(),
                                                   on_slurm.context.end());
  CHECK_THAT(context.at("executor"), StartsWith("slurm, array job "));
  // The batch script is kept and calls this rxflow by absolute path.
  CHECK_THAT(testing::read_text(slurm.file("smoke/sweep/slurm/array.sh")),
             Contains("'" RXFLOW_BIN "' 'sweep'") && Contains("#SBATCH --array=0,1,2,3"));
  CHECK(fs::exists(slurm.file("smoke/sweep/report/report.html")));
}

TEST_CASE("a failed point on Slurm is reported and the others complete", "[slurm]") {
  TempDir dir, out;
  const std::string workflow =
      dir.write("failing.toml", testing::smoke_workflow() +
                                    "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n"
                                    "[sweep.grid]\n\"count.throw_in\" = [\"nowhere\", \"run\"]\n"
                                    "\"count.value\" = [1, 2, 3]\n");
  const auto ran = sweep(workflow, out, "--executor slurm --points-per-task 2 --wait");
  INFO(ran.err);
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.err, Contains("failed: ") && Contains("deliberate failure in run"));
  const SweepIndex index = read_sweep_index(out.file("smoke/sweep/sweep.h5"));
  REQUIRE(index.rows.size() == 6);
  for (const SweepRow& row : index.rows) {
    const bool throws = row.key.find("throw_in=\"run\"") != std::string::npos;
    CHECK(row.status == (throws ? "failed" : "complete"));
    if (throws) CHECK_THAT(row.error, Contains("deliberate failure in run"));
  }
}

TEST_CASE("a cancelled Slurm sweep resumes, only the missing points are submitted", "[slurm]") {
  TempDir out;
  const std::string workflow = RXFLOW_SOURCE_DIR "/workflows/smoke.toml";
  const std::string folder = out.file("smoke/sweep");
  // Half the points run locally first (run-order positions 0 to 19).
  REQUIRE(sweep(workflow, out, std::string(kGrid) + " --points 0:20 --quiet").exit_code == 0);
  // Submitted held, then cancelled before anything ran.
  const auto held =
      sweep(workflow, out,
            std::string(kGrid) + " --executor slurm --points-per-task 10 --sbatch-arg=--hold");
  INFO(held.err);
  REQUIRE(held.exit_code == 0);
  CHECK_THAT(held.err, Contains("20 of 40 points to run (20 complete already) in 2 array tasks"));
  const nlohmann::json first = submission(folder);
  CHECK(first.at("points_submitted") == 20);
  CHECK(std::system(("scancel " + first.at("array_job").get<std::string>() + " " +
                     first.at("gather_job").get<std::string>())
                        .c_str()) == 0);
  const auto status = run_rxflow("sweep --status '" + folder + "'");
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("points 20 complete, 0 failed, of 40"));
  // Resubmitted: the 20 points still missing, and the sweep completes.
  const auto resumed =
      sweep(workflow, out, std::string(kGrid) + " --executor slurm --points-per-task 10 --wait");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.err, Contains("20 of 40 points to run (20 complete already)"));
  const SweepIndex index = read_sweep_index(folder + "/sweep.h5");
  REQUIRE(index.rows.size() == 40);
  for (const SweepRow& row : index.rows) CHECK(row.status == "complete");
}

TEST_CASE("the Slurm executor's options are checked before anything is submitted", "[e2e]") {
  TempDir out;
  const std::string workflow = RXFLOW_SOURCE_DIR "/workflows/smoke.toml";
  const auto wrong = sweep(workflow, out, std::string(kGrid) + " --executor pbs");
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Contains("--executor must be local or slurm, got \"pbs\""));
  const auto local_only = sweep(workflow, out, std::string(kGrid) + " --partition short");
  CHECK(local_only.exit_code == 2);
  CHECK_THAT(local_only.err, Contains("--partition needs --executor slurm"));
  const auto points = sweep(workflow, out, std::string(kGrid) + " --points 5:5");
  CHECK(points.exit_code == 2);
  CHECK_THAT(points.err, Contains("--points LAST must be an integer in [6,"));
  const auto no_submission = run_rxflow("sweep --status '" + out.path() + "'");
  CHECK(no_submission.exit_code == 2);
  CHECK_THAT(no_submission.err, Contains("no Slurm submission in this sweep folder"));
  CHECK_FALSE(fs::exists(out.file("smoke")));
}

}  // namespace
}  // namespace rxflow

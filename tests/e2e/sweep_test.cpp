// rxflow sweep as a user runs it: points as ordinary run files, the sweep
// index, results independent of the number of workers, seeds that do not
// shift, resume, failed points, bad input, and a sweep killed with -9.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "rxflow/seed.h"
#include "store/sweep_index.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testing::run_rxflow;
using testing::start_rxflow;
using testing::TempDir;

// The smoke workflow and a tally stage whose metric is its `value`
// parameter, so a point's headline metric is known from its values.
std::string tally_workflow(const std::string& sweep) {
  return testing::smoke_workflow() +
         "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n[stage.params]\nvalue = 1\n\n" + sweep;
}

constexpr const char* kSweep =
    "[sweep]\nrepeats = 3\n[sweep.grid]\n\"cohort.alpha\" = [0.2, 0.6]\n\"count.value\" = [5, "
    "7]\n";

std::string plugin_path() { return "--plugin-path '" RXFLOW_TEST_PLUGIN_DIR "'"; }

testing::CommandResult sweep(const std::string& workflow, const TempDir& out,
                             const std::string& options = "") {
  return run_rxflow("sweep '" + workflow + "' --out '" + out.path() + "' " + plugin_path() + " " +
                    options);
}

std::vector<std::string> point_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".h5") && name != "sweep.h5" && !name.starts_with(".")) {
      files.push_back(entry.path().string());
    }
  }
  return files;
}

TEST_CASE("a sweep writes one ordinary run file per point and an index of them", "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  const testing::CommandResult ran = sweep(workflow, out, "-j 2");
  REQUIRE(ran.exit_code == 0);
  const std::string index_file = out.file("smoke/sweep/sweep.h5");
  CHECK(testing::first_line(ran.out) == index_file);
  CHECK_THAT(ran.err, Contains("12 points (4 combinations x 3 repeats) on 2 workers"));
  CHECK_THAT(ran.err, Contains("points 12/12 done (0 failed, 0 resumed)"));

  const SweepIndex index = read_sweep_index(index_file);
  REQUIRE(index.rows.size() == 12);
  CHECK(index.axes == std::vector<std::string>{"cohort.alpha", "count.value"});
  CHECK(index.metric_names == std::vector<std::string>{"tally"});
  CHECK(point_files(out.file("smoke/sweep")).size() == 12);
  std::set<std::string> keys;
  for (const SweepRow& row : index.rows) {
    CHECK(row.status == "complete");
    keys.insert(row.key + "/" + std::to_string(row.repeat));
    REQUIRE(row.values.size() == 2);
    // The tally's metric is the swept count.value.
    CHECK(row.metrics.at(0) == std::stod(row.values[1]));
    // Each point is an ordinary run: verify proves it.
    const testing::CommandResult verify =
        run_rxflow("verify '" + out.file("smoke/sweep/" + row.file) + "'");
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out, Contains("OK: root hash " + row.root_hash));
  }
  CHECK(keys.size() == 12);
  // Repeats vary fastest, the grid's first axis slowest.
  CHECK(index.rows[0].key == "cohort.alpha=0.2;count.value=5");
  CHECK(index.rows[3].key == "cohort.alpha=0.2;count.value=7");
  CHECK(index.rows[6].key == "cohort.alpha=0.6;count.value=5");
  CHECK(index.rows[1].repeat == 1);
}

TEST_CASE("one worker and two give identical root hashes for every point", "[e2e][sweep]") {
  TempDir dir, one, two;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  REQUIRE(sweep(workflow, one, "-j 1 -q").exit_code == 0);
  REQUIRE(sweep(workflow, two, "-j 2 -q").exit_code == 0);
  const SweepIndex a = read_sweep_index(one.file("smoke/sweep/sweep.h5"));
  const SweepIndex b = read_sweep_index(two.file("smoke/sweep/sweep.h5"));
  REQUIRE(a.rows.size() == b.rows.size());
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    CHECK(a.rows[i].root_hash == b.rows[i].root_hash);
    CHECK(a.rows[i].seed == b.rows[i].seed);
    hashes.insert(a.rows[i].root_hash);
  }
  CHECK(hashes.size() == a.rows.size());  // no two points the same run
}

TEST_CASE("point seeds follow the documented function and adding a value shifts none",
          "[e2e][sweep]") {
  TempDir dir, small, large;
  const std::string two_values = dir.write(
      "two.toml", tally_workflow("[sweep]\nrepeats = 2\n[sweep.grid]\n\"cohort.alpha\" = [0.2, "
                                 "0.6]\n"));
  const std::string three_values = dir.write(
      "three.toml", tally_workflow("[sweep]\nrepeats = 3\n[sweep.grid]\n\"cohort.alpha\" = "
                                   "[0.2, 0.4, 0.6]\n"));
  REQUIRE(sweep(two_values, small, "-q").exit_code == 0);
  REQUIRE(sweep(three_values, large, "-q").exit_code == 0);
  const SweepIndex a = read_sweep_index(small.file("smoke/sweep/sweep.h5"));
  const SweepIndex b = read_sweep_index(large.file("smoke/sweep/sweep.h5"));
  CHECK(a.root_seed == 42);  // the workflow's seed
  // docs/sweeps.md: derived from the root seed, top bit cleared.
  const auto documented_seed = [](const std::string& key) {
    return derive_seed(42, key) & 0x7fffffffffffffffULL;
  };
  std::map<std::string, SweepRow> by_point;
  for (const SweepRow& row : b.rows) by_point[row.key + "/" + std::to_string(row.repeat)] = row;
  for (const SweepRow& row : a.rows) {
    // Shared seeds (the default): every point of one repeat has its seed.
    CHECK(row.seed == documented_seed("rxflow-sweep-repeat/" + std::to_string(row.repeat)));
    const SweepRow& same = by_point.at(row.key + "/" + std::to_string(row.repeat));
    CHECK(same.seed == row.seed);
    CHECK(same.root_hash == row.root_hash);
  }

  TempDir independent;
  REQUIRE(sweep(two_values, independent, "-q --seeds independent").exit_code == 0);
  const SweepIndex c = read_sweep_index(independent.file("smoke/sweep/sweep.h5"));
  std::set<std::uint64_t> seeds;
  for (const SweepRow& row : c.rows) {
    CHECK(row.seed == documented_seed("rxflow-sweep-point/" + row.key + "/repeat/" +
                                      std::to_string(row.repeat)));
    seeds.insert(row.seed);
  }
  CHECK(seeds.size() == c.rows.size());
}

TEST_CASE("a sweep from the command line: --grid, --zip and --repeats", "[e2e][sweep]") {
  TempDir out;
  const testing::CommandResult ran = run_rxflow(
      "sweep workflows/smoke.toml --grid cohort.alpha=0.2,0.4 --zip cohort.n=50,60,70 "
      "--zip cohort.beta=0.1,0.2,0.3 --repeats 2 -q --out '" +
      out.path() + "'");
  REQUIRE(ran.exit_code == 0);
  const SweepIndex index = read_sweep_index(out.file("smoke/sweep/sweep.h5"));
  REQUIRE(index.rows.size() == 12);
  CHECK(index.rows[0].key == "cohort.alpha=0.2;cohort.beta=0.1;cohort.n=50");
  CHECK(index.rows[2].key == "cohort.alpha=0.2;cohort.beta=0.2;cohort.n=60");
  const RunReader point(out.file("smoke/sweep/" + index.rows[2].file));
  const StageRecord cohort = testing::record_of(point, "cohort");
  const std::map<std::string, std::string> params(cohort.params.begin(), cohort.params.end());
  const std::map<std::string, std::string> origins(cohort.param_origins.begin(),
                                                   cohort.param_origins.end());
  CHECK(params.at("n") == "60");
  CHECK(origins.at("n") == "--zip cohort.n=50,60,70");

  // An axis on the command line replaces the file's axis of that name.
  TempDir dir, replaced;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  REQUIRE(sweep(workflow, replaced, "-q --grid cohort.alpha=0.3 --repeats 1").exit_code == 0);
  const SweepIndex narrowed = read_sweep_index(replaced.file("smoke/sweep/sweep.h5"));
  REQUIRE(narrowed.rows.size() == 2);
  CHECK(narrowed.rows[0].key == "cohort.alpha=0.3;count.value=5");
}

TEST_CASE("validate checks every point of a sweep and prints how many there are", "[e2e][sweep]") {
  TempDir dir;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  const testing::CommandResult valid = run_rxflow("validate '" + workflow + "' " + plugin_path());
  CHECK(valid.exit_code == 0);
  CHECK_THAT(valid.out, Contains("12 points (4 combinations x 3 repeats)"));
}

TEST_CASE("a second run resumes: complete points with the same identity are not run again",
          "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  REQUIRE(sweep(workflow, out, "-q").exit_code == 0);
  const std::string folder = out.file("smoke/sweep");
  const SweepIndex first = read_sweep_index(folder + "/sweep.h5");

  const testing::CommandResult again = sweep(workflow, out);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Contains("12/12 done (0 failed, 12 resumed)"));
  CHECK(point_files(folder).size() == 12);

  // A lost point file is run again, and only it; so is one whose index row
  // is gone (the index is rebuilt from the point files).
  fs::remove(folder + "/" + first.rows[4].file);
  fs::remove(folder + "/sweep.h5");
  const testing::CommandResult rebuilt = sweep(workflow, out);
  REQUIRE(rebuilt.exit_code == 0);
  CHECK_THAT(rebuilt.err, Contains("12/12 done (0 failed, 11 resumed)"));
  const SweepIndex second = read_sweep_index(folder + "/sweep.h5");
  for (std::size_t i = 0; i < first.rows.size(); ++i) {
    CHECK(second.rows[i].root_hash == first.rows[i].root_hash);
  }
  CHECK(second.rows[4].run_id != first.rows[4].run_id);
  CHECK(second.rows[5].run_id == first.rows[5].run_id);

  // A change to what a point computes (a parameter not swept) is a new
  // identity: nothing is resumed.
  const std::string changed = dir.write(
      "tallies.toml",
      tally_workflow(kSweep).replace(tally_workflow(kSweep).find("n = 200"), 7, "n = 201"));
  CHECK_THAT(sweep(changed, out).err, Contains("(0 failed, 0 resumed)"));
  // --force runs every point.
  CHECK_THAT(sweep(changed, out, "--force").err, Contains("(0 failed, 0 resumed)"));
}

TEST_CASE("a failed point never stops the sweep, the index records its error, exit 1",
          "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow =
      dir.write("failing.toml",
                tally_workflow("[sweep]\n[sweep.grid]\n\"count.throw_in\" = [\"nowhere\", \"run\", "
                               "\"nowhere\"]\n\"count.value\" = [1, 2]\n"));
  const testing::CommandResult ran = sweep(workflow, out, "-j 2");
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.err, Contains("6/6 done (2 failed, 0 resumed)"));
  CHECK_THAT(ran.err, Contains("deliberate failure in run"));
  const SweepIndex index = read_sweep_index(out.file("smoke/sweep/sweep.h5"));
  REQUIRE(index.rows.size() == 6);
  for (const SweepRow& row : index.rows) {
    const bool throws = row.key.find("throw_in=\"run\"") != std::string::npos;
    CHECK(row.status == (throws ? "failed" : "complete"));
    if (throws) {
      CHECK_THAT(row.error, Contains("deliberate failure in run"));
      CHECK_THAT(row.file, Contains(".failed.h5"));
      CHECK(std::isnan(row.metrics.at(0)));
    }
  }
  // Resume reruns the failed points only (they fail again).
  CHECK_THAT(sweep(workflow, out).err, Contains("6/6 done (2 failed, 4 resumed)"));
}

TEST_CASE("bad sweeps are refused before anything runs, with file:line", "[e2e][sweep]") {
  TempDir dir, out;
  const auto refused = [&](const std::string& sweep_table, const std::string& expected,
                           const std::string& options = "") {
    const std::string workflow = dir.write("bad.toml", tally_workflow(sweep_table));
    const testing::CommandResult ran = sweep(workflow, out, options);
    CHECK(ran.exit_code == 2);
    CHECK_THAT(ran.err, StartsWith("rxflow: ") && Contains(expected));
    CHECK(ran.err.find('\n') == ran.err.size() - 1);  // one line
    CHECK_FALSE(fs::exists(out.file("smoke")));
  };
  // The axis is on the second line of the sweep table.
  const std::string base = tally_workflow("");
  const std::string axis_line = std::to_string(std::count(base.begin(), base.end(), '\n') + 2);
  refused("[sweep.grid]\n\"cohort.alphaa\" = [0.2]\n",
          dir.file("bad.toml") + ":" + axis_line + ":");
  refused("[sweep.grid]\n\"cohort.alphaa\" = [0.2]\n", "unknown parameter \"alphaa\"");
  refused("[sweep.grid]\n\"cohort.alpha\" = []\n", "must be a non-empty list");
  refused("[sweep.grid]\n\"cohort.n\" = [200, -3]\n",
          "parameter \"n\" must be an integer in [1, 100000000], got -3");
  refused("[sweep.grid]\n\"cohort.plugin\" = [\"tally\"]\n", "unknown parameter \"plugin\"");
  refused("[sweep.grid]\n\"nowhere.n\" = [1]\n", "no stage \"nowhere\"");
  refused("[sweep]\nrepeats = 0\n", "repeats");
  std::string thousand_values;
  for (int n = 1; n <= 1001; ++n) thousand_values += (n > 1 ? ", " : "") + std::to_string(n);
  refused("[sweep]\nrepeats = 1000\n[sweep.grid]\n\"cohort.n\" = [" + thousand_values + "]\n",
          "the sweep has 1001000 points, more than 1000000 (pass --allow-large to run it anyway)");
  refused("[sweep]\nrepeats = 1000001\n", "repeats must be an integer in [1, 1000000]");
  refused("[sweep]\nrepeats = 2\n[sweep.zip]\n\"cohort.n\" = [1, 2]\n\"cohort.beta\" = [0.1]\n",
          "zipped lists advance together");
  // On the command line too.
  const std::string workflow = dir.write("good.toml", tally_workflow(kSweep));
  const testing::CommandResult unknown = sweep(workflow, out, "--grid cohort.nn=1,2");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("--grid cohort.nn=1,2") && Contains("unknown parameter"));
}

TEST_CASE("show summarises a sweep by combination, log shows it as one row", "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  REQUIRE(sweep(workflow, out, "-q").exit_code == 0);
  const std::string index_file = out.file("smoke/sweep/sweep.h5");
  const testing::CommandResult shown = run_rxflow("show '" + index_file + "'");
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Contains("points            12: 12 complete, 0 failed"));
  CHECK_THAT(shown.out, Contains("axes              cohort.alpha, count.value"));
  // The tally equals count.value in every repeat: mean 7, no spread.
  CHECK_THAT(shown.out, Contains("cohort.alpha=0.6;count.value=7: 3 points\n"
                                 "    tally                 7.0000  [7.0000, 7.0000]  n=3"));
  const nlohmann::json json =
      nlohmann::json::parse(run_rxflow("show --json '" + index_file + "'").out);
  CHECK(json.at("points").size() == 12);
  CHECK(json.at("combinations").size() == 4);
  CHECK(json.at("combinations")[1].at("metrics").at("tally").at("mean") == 7.0);

  // One plain run beside the sweep: log shows two rows, --points thirteen.
  testing::run_into(out, "workflows/smoke.toml");
  const testing::CommandResult log = run_rxflow("log '" + out.path() + "' --json");
  REQUIRE(log.exit_code == 0);
  const nlohmann::json rows = nlohmann::json::parse(log.out);
  REQUIRE(rows.size() == 2);
  std::map<std::string, nlohmann::json> by_kind;
  for (const auto& row : rows) by_kind[row.at("kind").get<std::string>()] = row;
  CHECK(by_kind.at("sweep").at("run_id") == "sweep sweep");
  CHECK(by_kind.at("sweep").at("status") == "complete");
  CHECK(by_kind.at("sweep").at("metrics").at("tally") == 6.0);  // the mean of 5 and 7
  CHECK_THAT(by_kind.at("sweep").at("note").get<std::string>(), Contains("12 points, 0 failed"));
  const nlohmann::json points =
      nlohmann::json::parse(run_rxflow("log '" + out.path() + "' --json --points").out);
  CHECK(points.size() == 13);
}

TEST_CASE("replay of a sweep recomputes every point and gives one verdict each", "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow =
      dir.write("tallies.toml",
                tally_workflow("[sweep]\nrepeats = 2\n[sweep.grid]\n\"count.value\" = [2, 4]\n"));
  REQUIRE(sweep(workflow, out, "-q").exit_code == 0);
  const std::string index_file = out.file("smoke/sweep/sweep.h5");
  const testing::CommandResult replayed =
      run_rxflow("replay '" + index_file + "' -j 2 --out '" + out.path() + "' " + plugin_path());
  CHECK(replayed.exit_code == 0);
  CHECK_THAT(replayed.out, Contains("point 3 (count.value=4, repeat 1): identical (root hash "));
  CHECK_THAT(replayed.out, Contains("4 of 4 replayed points identical"));
  CHECK(point_files(out.file("smoke/sweep.replay")).size() == 4);

  // A point whose stored values were changed is refused (it no longer
  // verifies); the others are still replayed.
  const SweepIndex index = read_sweep_index(index_file);
  testing::nudge_cohort_features(out.file("smoke/sweep/" + index.rows[1].file));
  const testing::CommandResult tampered =
      run_rxflow("replay '" + index_file + "' --out '" + out.path() + "' -q " + plugin_path());
  CHECK(tampered.exit_code == 1);
  CHECK_THAT(tampered.out, Contains("point 1 (count.value=2, repeat 1): refused (") &&
                               Contains("does not verify"));
  CHECK_THAT(tampered.out, Contains("3 of 3 replayed points identical (4 points in the sweep)"));
}

// Starts rxflow with arguments in the background and returns its PID.
// A workflow of 400 points, written once for the tests that interrupt it.
const std::string& many_points() {
  static const TempDir dir;
  static const std::string workflow = dir.write(
      "many.toml", tally_workflow("[sweep]\nrepeats = 400\n[sweep.grid]\n\"count.value\" = [3]\n"));
  return workflow;
}

// many_points() swept into out at -j 2 and sent `signal` once 20 points
// are written (polling the folder, up to a minute); returns the wait status.
int sweep_signalled(const TempDir& out, int signal) {
  const std::string folder = out.file("smoke/sweep");
  const pid_t pid = start_rxflow({"sweep", many_points(), "-j", "2", "-q", "--out", out.path(),
                                  "--plugin-path", RXFLOW_TEST_PLUGIN_DIR});
  REQUIRE(pid > 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < deadline &&
         !(fs::exists(folder) && point_files(folder).size() >= 20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(point_files(folder).size() >= 20);
  kill(pid, signal);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return status;
}

TEST_CASE("SIGINT or SIGTERM stops a sweep: points running kept as failed, exit 130 or 143",
          "[e2e][sweep]") {
  for (const int signal : {SIGINT, SIGTERM}) {
    INFO("signal " << signal);
    TempDir out;
    const std::string folder = out.file("smoke/sweep");
    const int status = sweep_signalled(out, signal);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + signal);
    CHECK_FALSE(fs::exists(folder + "/sweep.h5"));
    std::size_t failed = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      CHECK_FALSE(name.ends_with(".partial"));  // nothing left half written
      if (!name.ends_with(".failed.h5")) continue;
      ++failed;
      const auto shown = run_rxflow("show '" + entry.path().string() + "'");
      CHECK_THAT(shown.out, Contains("interrupted (SIGINT or SIGTERM) before stage"));
    }
    CHECK(failed <= 2);  // at most the points in flight, one per worker
    const testing::CommandResult resumed = sweep(many_points(), out, "-j 2");
    REQUIRE(resumed.exit_code == 0);
    CHECK(read_sweep_index(folder + "/sweep.h5").rows.size() == 400);
  }
}

TEST_CASE("kill -9 during a sweep loses only the points in flight", "[e2e][sweep]") {
  TempDir out;
  const std::string folder = out.file("smoke/sweep");
  REQUIRE(WIFSIGNALED(sweep_signalled(out, SIGKILL)));
  // No index was half written: absent (it is written at the end) or whole.
  CHECK_FALSE(fs::exists(folder + "/sweep.h5"));
  const std::size_t kept = point_files(folder).size();

  const testing::CommandResult resumed = sweep(many_points(), out);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.err,
             Contains("400/400 done (0 failed, " + std::to_string(kept) + " resumed)"));
  const SweepIndex index = read_sweep_index(folder + "/sweep.h5");
  REQUIRE(index.rows.size() == 400);
  for (const SweepRow& row : index.rows) CHECK(row.status == "complete");
  CHECK(point_files(folder).size() == 400);
}

TEST_CASE("the sweep index reads with h5py alone", "[e2e][sweep]") {
  TempDir dir, out;
  const std::string workflow = dir.write("tallies.toml", tally_workflow(kSweep));
  REQUIRE(sweep(workflow, out, "-q").exit_code == 0);
  const std::string script = dir.write("read.py", R"(import sys, h5py
f = h5py.File(sys.argv[1], "r")
p = f["points"]
metric = list(f["points/metrics"].attrs["columns"]).index(b"tally")
column = [c.decode() for c in p["values"].attrs["columns"]].index("count.value")
for row in range(len(p["index"])):
    assert p["status"][row] == b"complete", p["status"][row]
    assert float(p["values"][row, column]) == p["metrics"][row, metric]
print(f.attrs["format"].decode(), len(p["index"]), p["file"][0].decode().endswith(".h5"))
)");
  const int status =
      std::system(("/usr/bin/python3 '" + script + "' '" + out.file("smoke/sweep/sweep.h5") +
                   "' > '" + dir.file("py.out") + "' 2>&1")
                      .c_str());
  CHECK(status == 0);
  CHECK(testing::read_text(dir.file("py.out")) == "rxflow-sweep 12 True\n");
}

}  // namespace
}  // namespace rxflow

namespace rxflow {
namespace {

TEST_CASE("the shipped calibration sweep plans 300 points and scores three calibrations",
          "[e2e][sweep]") {
  const testing::CommandResult validated = run_rxflow("validate workflows/calibration_sweep.toml");
  REQUIRE(validated.exit_code == 0);
  CHECK_THAT(validated.out,
             Contains("sweep calibration: 300 points (3 combinations x 100 repeats)"));
  TempDir out;
  const testing::CommandResult ran = run_rxflow(
      "sweep workflows/calibration_sweep.toml --grid cohort.n=200 --repeats 2 "
      "--no-report -q --out '" +
      out.path() + "'");
  REQUIRE(ran.exit_code == 0);
  const SweepIndex index = read_sweep_index(out.file("calibration_sweep/calibration/sweep.h5"));
  REQUIRE(index.rows.size() == 2);
  const auto column = [&](const std::string& name) {
    const auto found = std::find(index.metric_names.begin(), index.metric_names.end(), name);
    REQUIRE(found != index.metric_names.end());
    return static_cast<std::size_t>(found - index.metric_names.begin());
  };
  const std::size_t raw = column("brier");
  const std::size_t isotonic = column("calibrated_brier");
  const std::size_t platt = column("evaluate_platt.calibrated_brier");
  for (const SweepRow& row : index.rows) {
    // Both evaluators score the same raw probabilities; the calibrators differ.
    CHECK(row.metrics[column("evaluate_platt.brier")] == row.metrics[raw]);
    CHECK(row.metrics[isotonic] != row.metrics[platt]);
    // The cross-fitted classifier is another model (it trains on the train
    // and validation folds): its own raw score, calibrated by 5 maps.
    CHECK(row.metrics[column("evaluate_isotonic_cv.brier")] != row.metrics[raw]);
    CHECK(row.metrics[column("evaluate_isotonic_cv.calibrated_brier")] != row.metrics[isotonic]);
  }
}

}  // namespace
}  // namespace rxflow

// The stage cache as a user meets it: rxflow run --reuse DIR takes equal
// stages from earlier run files and records where from, without changing
// the root hash; a changed parameter reruns its stage and what depends on
// it (a trained image generator is reused when only what the decoder draws
// changes); a file that does not verify lends nothing; the points of a sweep share
// equal stages in memory, with the same root hashes as without the cache.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "store/run_reader.h"
#include "store/sweep_index.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using testing::record_of;
using testing::run_into;
using testing::run_rxflow;
using testing::TempDir;

const std::vector<std::string> kSmokeStages{"requests", "embed", "cohort"};

TEST_CASE("run --reuse takes equal stages from an earlier run and keeps the root hash",
          "[e2e][cache]") {
  TempDir first, second, replayed;
  const std::string earlier = run_into(first, "workflows/smoke.toml");
  const testing::CommandResult ran = run_rxflow("run workflows/smoke.toml --out '" + second.path() +
                                                "' --reuse '" + first.path() + "'");
  REQUIRE(ran.exit_code == 0);
  CHECK_THAT(ran.err, Contains("reuse: 3 stages from 1 run files in " + first.path()));
  const RunReader a(earlier);
  const RunReader b(testing::first_line(ran.out));
  CHECK_THAT(ran.err, Contains("stage cohort       cohort_simulator         reused from run " +
                               a.attribute("run_id")));
  CHECK(b.attribute("root_hash") == a.attribute("root_hash"));
  for (const std::string& id : kSmokeStages) {
    const StageRecord record = record_of(b, id);
    CHECK(record.reused_from_run == a.attribute("run_id"));
    CHECK(record.reused_from_stage == id);
    CHECK(record.outputs.size() == record_of(a, id).outputs.size());
  }
  const testing::CommandResult verified = run_rxflow("verify '" + b.path() + "'");
  CHECK(verified.exit_code == 0);
  CHECK_THAT(verified.out, Contains("OK: root hash " + a.attribute("root_hash")));
  CHECK_THAT(run_rxflow("show '" + b.path() + "'").out,
             Contains("reused: outputs taken from run " + a.attribute("run_id") + ", stage embed"));

  // Replay computes every stage again and proves the reused ones.
  const testing::CommandResult replay =
      run_rxflow("replay '" + b.path() + "' --out '" + replayed.path() + "'");
  CHECK(replay.exit_code == 0);
  CHECK_THAT(replay.out, Contains("root hash identical " + a.attribute("root_hash")));
  for (const auto& entry : fs::recursive_directory_iterator(replayed.path())) {
    if (entry.path().extension() != ".h5") continue;
    const RunReader again(entry.path().string());
    for (const std::string& id : kSmokeStages) CHECK(record_of(again, id).reused_from_run.empty());
  }
}

TEST_CASE("a trained image generator is reused by a later run that changes what it draws",
          "[e2e][cache][cvae]") {
  TempDir first, second, replayed;
  const std::string reduced =
      "workflows/case_study_trained_image.toml --set cohort.n=64 --set train_image.epochs=2 "
      "--set train_image.batch_size=16 --set train_image.evaluation_rows=16";
  const RunReader a(run_into(first, reduced));
  const RunReader b(
      run_into(second, reduced + " --set image.grid_steps=3 --reuse '" + first.path() + "'"));
  const StageRecord trainer = record_of(b, "train_image");
  CHECK(trainer.reused_from_run == a.attribute("run_id"));
  CHECK(trainer.reused_from_stage == "train_image");
  CHECK(record_of(b, "image").reused_from_run.empty());  // its grid_steps differs
  // The decoder drew with the weights trained in the first run: the same
  // image for the case patient, a grid of the new size.
  CHECK(b.read_artifact("image", "images").values == a.read_artifact("image", "images").values);
  CHECK(b.read_artifact("image", "grid_images").shape == std::vector<std::uint64_t>{3, 3, 64, 64});
  CHECK(b.attribute("root_hash") != a.attribute("root_hash"));

  const testing::CommandResult verified = run_rxflow("verify '" + b.path() + "'");
  CHECK(verified.exit_code == 0);
  CHECK_THAT(verified.out, Contains("OK: root hash " + b.attribute("root_hash")));
  // Replay trains again and proves the reused weights.
  const testing::CommandResult replay =
      run_rxflow("replay '" + b.path() + "' --out '" + replayed.path() + "'");
  CHECK(replay.exit_code == 0);
  CHECK_THAT(replay.out, Contains("root hash identical " + b.attribute("root_hash")));
}

TEST_CASE("a changed parameter reruns its stage, the stages it does not touch are reused",
          "[e2e][cache]") {
  TempDir first, second, plain;
  run_into(first, "workflows/smoke.toml");
  const std::string reused =
      run_into(second, "workflows/smoke.toml --set cohort.n=150 --reuse '" + first.path() + "'");
  const std::string computed = run_into(plain, "workflows/smoke.toml --set cohort.n=150");
  const RunReader b(reused);
  CHECK_FALSE(record_of(b, "requests").reused_from_run.empty());
  CHECK_FALSE(record_of(b, "embed").reused_from_run.empty());
  CHECK(record_of(b, "cohort").reused_from_run.empty());
  CHECK(b.attribute("root_hash") == RunReader(computed).attribute("root_hash"));
}

TEST_CASE("a run file that does not verify lends no stage", "[e2e][cache]") {
  TempDir first, second, dir;
  const std::string earlier = run_into(first, "workflows/smoke.toml");
  const std::string original_root = RunReader(earlier).attribute("root_hash");
  testing::nudge_cohort_features(earlier);
  const testing::CommandResult ran = run_rxflow("run workflows/smoke.toml --out '" + second.path() +
                                                "' --reuse '" + first.path() + "'");
  REQUIRE(ran.exit_code == 0);
  CHECK_THAT(ran.err, Contains("reuse: 0 stages from 0 run files in " + first.path() +
                               " (1 files left out: they do not verify)"));
  const RunReader b(testing::first_line(ran.out));
  for (const std::string& id : kSmokeStages) CHECK(record_of(b, id).reused_from_run.empty());
  CHECK(b.attribute("root_hash") == original_root);

  const testing::CommandResult missing =
      run_rxflow("run workflows/smoke.toml --out '" + second.path() + "' --reuse '" +
                 dir.file("nowhere") + "'");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "rxflow: " + dir.file("nowhere") +
                           ": expected a folder of run files to reuse stages from, found "
                           "nothing\n");
}

TEST_CASE("the points of a sweep share equal stages, with the root hashes of a sweep without",
          "[e2e][cache]") {
  TempDir dir, cached, uncached;
  // Two values of a downstream parameter: the two points of one repeat
  // (shared seeds) have equal requests, embed and cohort stages.
  const std::string workflow =
      dir.write("tallies.toml",
                testing::smoke_workflow() +
                    "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n[stage.params]\nvalue = 1\n\n"
                    "[sweep]\nrepeats = 2\n[sweep.grid]\n\"count.value\" = [5, 7]\n");
  const std::string common =
      "sweep '" + workflow + "' --plugin-path '" RXFLOW_TEST_PLUGIN_DIR "' -j 1 --out '";
  const testing::CommandResult with_cache = run_rxflow(common + cached.path() + "'");
  REQUIRE(with_cache.exit_code == 0);
  CHECK_THAT(with_cache.err, Contains("; 6 stages reused"));
  const testing::CommandResult without = run_rxflow(common + uncached.path() + "' --no-cache");
  REQUIRE(without.exit_code == 0);
  CHECK_THAT(without.err, !Contains("reused"));

  const SweepIndex a = read_sweep_index(cached.file("smoke/sweep/sweep.h5"));
  const SweepIndex b = read_sweep_index(uncached.file("smoke/sweep/sweep.h5"));
  REQUIRE(a.rows.size() == 4);
  REQUIRE(b.rows.size() == 4);
  std::map<std::string, std::string> run_of_key;  // "key/repeat" -> run id
  for (const SweepRow& row : a.rows) {
    run_of_key[row.key + "/" + std::to_string(row.repeat)] = row.run_id;
  }
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    CHECK(a.rows[i].root_hash == b.rows[i].root_hash);
    const RunReader point(cached.file("smoke/sweep/" + a.rows[i].file));
    const StageRecord cohort = record_of(point, "cohort");
    CHECK(record_of(point, "count").reused_from_run.empty());  // its value differs
    if (a.rows[i].key == "count.value=7") {
      // Reused from the point of the same repeat that ran first.
      CHECK(cohort.reused_from_run ==
            run_of_key.at("count.value=5/" + std::to_string(a.rows[i].repeat)));
    } else {
      CHECK(cohort.reused_from_run.empty());
    }
    CHECK(run_rxflow("verify '" + point.path() + "'").exit_code == 0);
  }
}

}  // namespace
}  // namespace rxflow

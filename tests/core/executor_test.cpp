// The executor in its three parts: the events a RunObserver sees, one plan
// executed many times in one process, and plans executed on several
// threads at once, all giving the root hashes of a run alone.
#include "exec/executor.h"

#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "store/run_reader.h"
#include "support/install_paths.h"
#include "test_support.h"

namespace rxflow {
namespace {

// Writes every event down as one line.
class Recorder final : public RunObserver {
 public:
  void run_started(const RunStarted& e) override {
    add("run started " + e.workflow + " " + std::to_string(e.stages));
  }
  void stage_started(const StageStarted& e) override {
    add("stage started " + std::to_string(e.index) + "/" + std::to_string(e.stages) + " " +
        e.stage + " " + e.plugin);
  }
  void stage_finished(const StageFinished& e) override {
    add("stage finished " + e.stage + (e.ok ? " ok" : " failed: " + e.error));
    seconds.push_back(e.seconds);
  }
  void log_line(const LogLine& e) override { add("log " + e.stage + ": " + e.text); }
  void run_finished(const RunFinished& e) override {
    add("run finished");
    run_file = e.run_file;
    root_hash = e.root_hash;
  }
  void run_failed(const RunFailed& e) override {
    add("run failed " + e.stage + ": " + e.error);
    run_file = e.run_file;
  }

  std::vector<std::string> events;
  std::vector<double> seconds;
  std::string run_file, root_hash;

 private:
  void add(std::string line) { events.push_back(std::move(line)); }
};

Plan plan_of(const std::string& text, PluginLoader& loader) {
  return make_plan(parse_spec_text(text, RXFLOW_SOURCE_DIR "/workflows/test.toml"), loader,
                   PlanOptions{std::nullopt, {builtin_data_dir()}});
}

TEST_CASE("an observer sees the run start, each stage and its log, and the end", "[exec]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir()});
  const Plan plan = plan_of(testing::smoke_workflow(), loader);
  InProcessStageRunner runner;
  Recorder recorder;
  const RunOutcome outcome =
      execute_plan(plan, RunOptions{out.path(), {}, {}, nullptr}, runner, recorder);
  REQUIRE(outcome.ok);
  REQUIRE(recorder.events.size() == 9);
  CHECK(recorder.events[0] == "run started smoke 3");
  CHECK(recorder.events[1] == "stage started 0/3 requests patient_requests");
  CHECK(recorder.events[2] == "stage finished requests ok");
  CHECK(recorder.events[3] == "stage started 1/3 embed synthetic_embeddings");
  CHECK(recorder.events[5] == "stage started 2/3 cohort cohort_simulator");
  CHECK_THAT(recorder.events[6], Catch::Matchers::StartsWith("log cohort: prevalence of positive"));
  CHECK(recorder.events[7] == "stage finished cohort ok");
  CHECK(recorder.events[8] == "run finished");
  CHECK(recorder.run_file == outcome.run_file);
  CHECK(recorder.root_hash == RunReader(outcome.run_file).attribute("root_hash"));
  for (double seconds : recorder.seconds) CHECK(seconds >= 0.0);
}

TEST_CASE("a failing stage and a cancelled run reach the observer as failures", "[exec]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir(), RXFLOW_TEST_PLUGIN_DIR});
  const Plan failing = plan_of(
      "[workflow]\nname = \"t\"\nseed = 1\n\n[[stage]]\nid = \"t\"\nplugin = \"tally\"\n"
      "[stage.params]\nthrow_in = \"run\"\n",
      loader);
  InProcessStageRunner runner;
  Recorder recorder;
  const RunOutcome outcome =
      execute_plan(failing, RunOptions{out.path(), {}, {}, nullptr}, runner, recorder);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.failed_stage == "t");
  CHECK(recorder.events.at(2) == "stage finished t failed: deliberate failure in run");
  CHECK(recorder.events.at(3) ==
        "run failed t: stage \"t\" (plugin tally) failed: deliberate failure in run");
  CHECK(RunReader(recorder.run_file).attribute("status") == "failed");

  const std::atomic<bool> cancel{true};
  Recorder cancelled;
  const Plan smoke = plan_of(testing::smoke_workflow(), loader);
  const RunOutcome stopped =
      execute_plan(smoke, RunOptions{out.path(), {}, {}, &cancel}, runner, cancelled);
  CHECK_FALSE(stopped.ok);
  CHECK(stopped.error == "cancelled before stage \"requests\"");
  CHECK(RunReader(stopped.run_file).attribute("error") == stopped.error);
}

// Asks the run to stop as the stage `stage` starts: a cancel that arrives
// while that stage runs.
class CancelAtStage final : public RunObserver {
 public:
  explicit CancelAtStage(std::string stage) : stage_(std::move(stage)) {}
  void stage_started(const StageStarted& e) override {
    if (e.stage == stage_) cancel = true;
  }
  std::atomic<bool> cancel{false};

 private:
  std::string stage_;
};

TEST_CASE("a stage that checks for cancellation stops the run during the stage", "[exec]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir(), RXFLOW_TEST_PLUGIN_DIR});
  const Plan plan =
      plan_of(testing::smoke_workflow() +
                  "\n[[stage]]\nid = \"t\"\nplugin = \"tally\"\n[stage.params]\n"
                  "check_cancelled = true\n\n[[stage]]\nid = \"u\"\nplugin = \"tally\"\n",
              loader);
  InProcessStageRunner runner;
  CancelAtStage observer("t");
  RunOptions options{out.path(), {}, {}, &observer.cancel};
  options.cancel_reason = "stopped by the test";
  const RunOutcome outcome = execute_plan(plan, options, runner, observer);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.failed_stage == "t");
  CHECK(outcome.error == "stopped by the test during stage \"t\"");
  const RunReader reader(outcome.run_file);
  CHECK(reader.attribute("status") == "failed");
  CHECK(testing::record_of(reader, "t").status == "failed");
  CHECK(testing::record_of(reader, "t").error == "stopped by the test during the stage");
  for (const StoredStage& stage : reader.stages()) CHECK(stage.record.id != "u");
}

TEST_CASE("one plan executed 100 times in one process gives one root hash", "[exec]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir()});
  const Plan plan = plan_of(testing::smoke_workflow(), loader);
  InProcessStageRunner runner;
  RunObserver silent;
  std::set<std::string> hashes, files;
  for (int i = 0; i < 100; ++i) {
    const RunOutcome outcome =
        execute_plan(plan, RunOptions{out.path(), {}, {}, nullptr}, runner, silent);
    REQUIRE(outcome.ok);
    hashes.insert(outcome.root_hash);
    files.insert(outcome.run_file);
  }
  CHECK(hashes.size() == 1);
  CHECK(files.size() == 100);  // every run its own id and file
}

TEST_CASE("plans run on two threads at once give the hashes they give alone", "[exec]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir()});
  const Plan smoke = plan_of(testing::smoke_workflow(), loader);
  const Plan case_study =
      plan_of(testing::read_text(RXFLOW_SOURCE_DIR "/workflows/case_study.toml"), loader);
  InProcessStageRunner runner;
  RunObserver silent;
  const std::string smoke_alone =
      execute_plan(smoke, RunOptions{out.path(), {}, {}, nullptr}, runner, silent).root_hash;
  const std::string case_alone =
      execute_plan(case_study, RunOptions{out.path(), {}, {}, nullptr}, runner, silent).root_hash;
  std::mutex mutex;
  std::vector<std::string> smoke_hashes, case_hashes;
  auto work = [&](const Plan& plan, std::vector<std::string>& hashes) {
    for (int i = 0; i < 8; ++i) {
      const RunOutcome outcome =
          execute_plan(plan, RunOptions{out.path(), {}, {}, nullptr}, runner, silent);
      const std::lock_guard<std::mutex> lock(mutex);
      hashes.push_back(outcome.ok ? outcome.root_hash : outcome.error);
    }
  };
  std::thread first(work, std::cref(smoke), std::ref(smoke_hashes));
  std::thread second(work, std::cref(case_study), std::ref(case_hashes));
  first.join();
  second.join();
  CHECK(smoke_hashes == std::vector<std::string>(8, smoke_alone));
  CHECK(case_hashes == std::vector<std::string>(8, case_alone));
}

}  // namespace
}  // namespace rxflow

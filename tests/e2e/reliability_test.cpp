// What interruptions and concurrency leave: a run stopped by SIGTERM or
// SIGINT is kept as failed ("interrupted"), exit 143 or 130; a run killed
// with -9 at any moment leaves nothing that looks complete and is not;
// rxflow clean lists and removes what killed runs left, never a run still
// going on; and eight runs into one folder at once never collide.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "rxflow/rng.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using testing::run_rxflow;
using testing::TempDir;

// Files in folder whose names end with suffix.
std::vector<std::string> files_ending(const std::string& folder, const std::string& suffix) {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.path().filename().string().ends_with(suffix)) found.push_back(entry.path());
  }
  return found;
}

TEST_CASE("a run stopped by a signal is kept as failed, interrupted, exit 128 + signal", "[e2e]") {
  TempDir dir;
  // A large cohort (a second or more) before a last stage: the signal lands
  // while a stage runs, and the run stops before the next.
  const std::string workflow =
      dir.write("slow.toml",
                testing::smoke_workflow() +
                    "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n[stage.params]\nvalue = 1\n");
  for (const int signal : {SIGTERM, SIGINT}) {
    INFO("signal " << signal);
    TempDir out;
    const std::string folder = out.file("smoke");
    const pid_t pid =
        testing::start_rxflow({"run", workflow, "--set", "cohort.n=3000000", "--quiet", "--out",
                               out.path(), "--plugin-path", RXFLOW_TEST_PLUGIN_DIR});
    REQUIRE(pid > 0);
    // Wait (polling, up to a minute) until the run file is being written.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (files_ending(folder, ".h5.partial").empty() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(pid, signal);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + signal);
    CHECK(files_ending(folder, ".partial").empty());
    const std::vector<std::string> failed = files_ending(folder, ".failed.h5");
    REQUIRE(failed.size() == 1);
    const auto shown = run_rxflow("show '" + failed[0] + "'");
    CHECK_THAT(shown.out, Contains("interrupted (SIGINT or SIGTERM) before stage"));
    CHECK(run_rxflow("verify '" + failed[0] + "'").exit_code == 0);  // a whole, failed record
  }
}

TEST_CASE("kill -9 at 50 moments of a run never leaves a complete-looking damaged file", "[e2e]") {
  TempDir out;
  const std::string folder = out.file("smoke");
  // When to kill: once the run's file is being written (polled), then 0 to
  // 4 ms later (the writing takes a few ms here), from a seeded generator:
  // while artifacts are written, while the file closes, around its rename.
  Rng moments(20261203);
  std::size_t killed = 0;
  for (int i = 0; i < 50; ++i) {
    auto files = [&] {
      return files_ending(folder, ".h5").size() + files_ending(folder, ".h5.partial").size();
    };
    const std::size_t before = files();
    const pid_t pid = testing::start_rxflow(
        {"run", RXFLOW_SOURCE_DIR "/workflows/smoke.toml", "--quiet", "--out", out.path()});
    REQUIRE(pid > 0);
    int status = 0;
    bool ended = false;
    while (!(ended = waitpid(pid, &status, WNOHANG) == pid) && files() == before) {
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
    if (!ended) {
      std::this_thread::sleep_for(std::chrono::microseconds(moments.uniform_int(4'000)));
      kill(pid, SIGKILL);
      REQUIRE(waitpid(pid, &status, 0) == pid);
    }
    killed += WIFSIGNALED(status);
  }
  INFO(killed << " of 50 runs were killed before they ended");
  std::size_t complete = 0, partial = 0, sealed = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().string();
    const auto verify = run_rxflow("verify '" + file + "'");
    if (file.ends_with(".h5.partial")) {
      ++partial;
      // Never OK on what a killed run left, unless it was killed between
      // sealing its file and renaming it: then the file is a whole run,
      // which rxflow clean finishes.
      if (verify.exit_code == 0) {
        ++sealed;
        CHECK_THAT(run_rxflow("clean '" + out.path() + "'").out, Contains("would finish  " + file));
      }
    } else if (file.ends_with(".h5")) {
      ++complete;
      INFO(file << ": " << verify.out << verify.err);
      CHECK(verify.exit_code == 0);  // whatever looks complete is
    }
  }
  CHECK(complete + killed >= 50);  // every run that was not killed ended with its file
  CHECK(partial <= killed);
  INFO(partial << " partial files, " << sealed << " of them sealed");
  CHECK(partial > sealed);  // most kills landed while the file was being written
  // clean --delete removes the leftovers and finishes the sealed ones.
  REQUIRE(run_rxflow("clean '" + out.path() + "' --delete").exit_code == 0);
  CHECK(files_ending(folder, ".partial").empty());
  const std::vector<std::string> kept = files_ending(folder, ".h5");
  CHECK(kept.size() == complete + sealed);
  for (const std::string& file : kept) CHECK(run_rxflow("verify '" + file + "'").exit_code == 0);
}

TEST_CASE("rxflow clean lists what killed runs left and removes it with --delete", "[e2e]") {
  TempDir results;
  const std::string folder = results.file("smoke");
  fs::create_directories(folder + "/.20260101-000000-aaaaaa.d.partial");
  const std::string killed = results.write("smoke/.20260101-000000-aaaaaa.h5.partial", "half");
  results.write("smoke/.20260101-000000-aaaaaa.d.partial/report.html", "<html>");
  const std::string good = testing::run_into(results, "workflows/smoke.toml");
  // A run still being written: its writer holds the lock.
  const std::string running = results.write("smoke/.20260101-000000-bbbbbb.h5.partial", "busy");
  const int lock = ::open(running.c_str(), O_RDONLY);
  REQUIRE(::flock(lock, LOCK_EX) == 0);

  const auto listed = run_rxflow("clean '" + results.path() + "'");
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Contains("would remove  " + killed) &&
                             Contains(".20260101-000000-aaaaaa.d.partial") &&
                             Contains("2 leftovers of interrupted runs"));
  CHECK(listed.out.find("bbbbbb") == std::string::npos);
  CHECK(fs::exists(killed));
  const auto removed = run_rxflow("clean '" + results.path() + "' --delete");
  CHECK(removed.exit_code == 0);
  CHECK_THAT(removed.out, Contains("removed  " + killed));
  CHECK_FALSE(fs::exists(killed));
  CHECK_FALSE(fs::exists(folder + "/.20260101-000000-aaaaaa.d.partial"));
  CHECK(fs::exists(running));
  CHECK(fs::exists(good));
  ::close(lock);

  const auto missing = run_rxflow("clean '" + results.file("nowhere") + "'");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("nowhere: not a folder"));
}

TEST_CASE("eight runs of one workflow into one folder at once never collide", "[e2e]") {
  TempDir out;
  std::string script = "cd '" RXFLOW_SOURCE_DIR "' && for i in 1 2 3 4 5 6 7 8; do '" RXFLOW_BIN
                       "' run workflows/smoke.toml --quiet --out '" +
                       out.path() + "' > /dev/null & done; wait";
  REQUIRE(std::system(script.c_str()) == 0);
  const std::vector<std::string> runs = files_ending(out.file("smoke"), ".h5");
  REQUIRE(runs.size() == 8);
  std::set<std::string> ids;
  for (const std::string& run : runs) {
    ids.insert(fs::path(run).stem().string());
    CHECK(run_rxflow("verify '" + run + "'").exit_code == 0);
  }
  CHECK(ids.size() == 8);
  CHECK(files_ending(out.file("smoke"), ".partial").empty());
}

}  // namespace
}  // namespace rxflow

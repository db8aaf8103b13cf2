// rxflow replay sweep.h5: every completed point of a sweep replayed
// (replay_run.h) into <results>/<workflow>/<sweep>.replay/, on -j workers
// in this process, after every point file was checked (format, status,
// verify) in a child process; one verdict per point, in point order.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "commands/commands.h"
#include "commands/replay_run.h"
#include "commands/sweep_progress.h"
#include "store/provenance.h"
#include "store/sweep_index.h"
#include "support/install_paths.h"
#include "support/isolated.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// One point's verdict.
struct PointReplay {
  const SweepRow* row = nullptr;
  std::string verdict;  // identical, different, failed, refused, not replayed
  std::string detail;
  std::string replay_file;
};

struct SweepReplayResult {
  std::string index_file;
  std::vector<PointReplay> points;
  std::size_t identical = 0, replayed = 0;
};

nlohmann::ordered_json to_json(const SweepReplayResult& result) {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const PointReplay& point : result.points) {
    points.push_back({{"index", point.row->index},
                      {"key", point.row->key},
                      {"repeat", point.row->repeat},
                      {"file", point.row->file},
                      {"verdict", point.verdict},
                      {"detail", point.detail},
                      {"replay", point.replay_file}});
  }
  return {{"sweep_index", result.index_file},
          {"replayed", result.replayed},
          {"identical", result.identical},
          {"points", points}};
}

void print_text(const SweepReplayResult& result, std::ostream& out) {
  for (const PointReplay& point : result.points) {
    out << "point " << point.row->index << " ("
        << (point.row->key.empty() ? "no values" : point.row->key) << ", repeat "
        << point.row->repeat << "): " << point.verdict;
    if (!point.detail.empty()) out << " (" << point.detail << ")";
    out << "\n";
  }
  out << result.identical << " of " << result.replayed << " replayed points identical ("
      << result.points.size() << " points in the sweep)\n";
}

PointReplay replay_point(const SweepRow& row, const std::string& file, PluginLoader& loader,
                         const ReplaySettings& settings) {
  PointReplay point{&row, "", "", ""};
  try {
    InProcessStageRunner runner;
    RunObserver silent;
    const ReplayResult result = replay_run(file, loader, settings, runner, silent);
    point.replay_file = result.replay;
    if (!result.error.empty()) {
      point.verdict = "failed";
      point.detail = result.error;
    } else if (result.ok) {
      point.verdict = "identical";
      point.detail = "root hash " + hash_prefix(result.root_now);
    } else {
      point.verdict = "different";
      point.detail = std::to_string(result.artifacts.size() - result.identical) + " of " +
                     std::to_string(result.artifacts.size()) +
                     " artifacts differ; first divergence at stage " + result.first_divergence;
    }
  } catch (const std::exception& error) {
    point.verdict = "refused";
    point.detail = error.what();
  }
  return point;
}

}  // namespace

int command_replay_sweep(const ReplayArgs& args, std::ostream& out, std::ostream& err) {
  const SweepIndex index = read_sweep_index(args.run_file);
  const fs::path folder = fs::path(args.run_file).parent_path();
  SweepReplayResult result;
  result.index_file = args.run_file;
  for (const SweepRow& row : index.rows) result.points.push_back({&row, "", "", ""});

  // The checks read untrusted files: in a child process, as `replay` does.
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < index.rows.size(); ++i) {
    if (index.rows[i].status != "complete") {
      result.points[i].verdict = "not replayed";
      result.points[i].detail =
          "the point " +
          (index.rows[i].status == "failed" ? "failed: " + index.rows[i].error : "has no run file");
    } else {
      todo.push_back(i);
    }
  }
  const std::vector<IsolatedOutcome> checks = map_isolated(
      todo.size(),
      [&](std::size_t t) {
        try {
          return replay_refusal((folder / index.rows[todo[t]].file).string());
        } catch (const std::exception& error) {
          return std::string(error.what());
        }
      },
      60);
  std::vector<std::size_t> replayable;
  for (std::size_t t = 0; t < todo.size(); ++t) {
    PointReplay& point = result.points[todo[t]];
    if (checks[t].kind != IsolatedOutcome::Kind::kDone) {
      point.verdict = "refused";
      point.detail = "checking the file crashed or hung (" + checks[t].reason + ")";
    } else if (!checks[t].output.empty()) {
      point.verdict = "refused";
      point.detail = checks[t].output;
    } else {
      replayable.push_back(todo[t]);
    }
  }

  PluginLoader loader(default_plugin_path(args.plugin_path));
  const ReplaySettings settings{
      args.results_dir,
      (fs::path(args.results_dir) / index.workflow / (index.name + ".replay")).string(),
      args.allow_drift};
  SweepProgress progress;
  progress.total = replayable.size();
  SweepProgressPrinter printer(err, isatty(STDERR_FILENO) != 0);
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  const auto start = std::chrono::steady_clock::now();
  auto work = [&] {
    for (std::size_t i = next++; i < replayable.size(); i = next++) {
      const SweepRow& row = index.rows[replayable[i]];
      PointReplay point = replay_point(row, (folder / row.file).string(), loader, settings);
      const std::lock_guard<std::mutex> lock(mutex);
      ++progress.done;
      progress.failed += point.verdict != "identical";
      progress.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!args.quiet) printer.update(row, progress);
      result.points[replayable[i]] = std::move(point);
    }
  };
  std::vector<std::thread> workers;
  for (int w = 1; w < std::max(1, args.jobs); ++w) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  if (!args.quiet) printer.finish(progress);

  result.replayed = replayable.size();
  for (const PointReplay& point : result.points) result.identical += point.verdict == "identical";
  print_result(result, args.format, out);
  return result.identical == todo.size() ? 0 : 1;
}

}  // namespace rxflow

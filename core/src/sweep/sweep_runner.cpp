#include "sweep/sweep_runner.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "audit/run_headline.h"
#include "store/headline_metrics.h"
#include "exec/environment.h"
#include "exec/executor.h"
#include "exec/memory_stage_cache.h"
#include "store/provenance.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/sha256.h"
#include "support/utc_time.h"
#include "sweep/sweep_points.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// What must be equal for an existing run file to stand for a point: the
// run's identity (resolved workflow, engine) and every plugin library.
std::string point_identity(const Plan& plan) {
  Sha256 plugins;
  for (const PlannedStage& stage : plan.stages) {
    plugins.update_framed(stage.id).update_framed(stage.plugin->sha256);
  }
  return run_identity_sha256(plan.resolved_workflow, engine_version(), git_commit()) + ":" +
         to_hex(plugins.finish());
}

std::string resume_key(const std::string& key, std::uint64_t repeat) {
  return key + "/" + std::to_string(repeat);
}

// A finished point, before its metrics are aligned with the others'.
struct Finished {
  SweepRow row;
  std::vector<HeadlineMetric> metrics;
};

std::vector<HeadlineMetric> metrics_of(const SweepRow& row, const std::vector<std::string>& names) {
  std::vector<HeadlineMetric> metrics;
  for (std::size_t i = 0; i < names.size() && i < row.metrics.size(); ++i) {
    if (!std::isnan(row.metrics[i])) metrics.push_back({names[i], "", row.metrics[i]});
  }
  return metrics;
}

std::uint64_t draw_seed() {
  std::random_device device;
  const std::uint64_t high = device(), low = device();
  return ((high << 32) | low) & kSeedMask;
}

// What ran before: the index, else the point files themselves.
struct Previous {
  std::map<std::string, SweepRow> rows;   // by resume_key; complete rows win over failed ones
  std::vector<std::string> metric_names;  // of the index's rows
  std::optional<std::uint64_t> root_seed;
};

Previous previous_points(const std::string& folder, const std::string& sweep, bool force) {
  Previous previous;
  if (force) return previous;
  const std::string index_file = (fs::path(folder) / "sweep.h5").string();
  std::optional<fs::file_time_type> index_time;
  std::error_code error;
  if (fs::exists(index_file, error)) {
    try {
      SweepIndex index = read_sweep_index(index_file);
      previous.root_seed = index.root_seed;
      previous.metric_names = index.metric_names;
      index_time = fs::last_write_time(index_file, error);
      for (SweepRow& row : index.rows) {
        previous.rows[resume_key(row.key, row.repeat)] = std::move(row);
      }
    } catch (const InputError&) {
      // Damaged: rebuilt from the point files below.
    }
  }
  // Points written after the index (a sweep killed before it wrote a new
  // one, or the tasks of a Slurm array), or every point when there is none.
  if (fs::exists(folder, error)) {
    std::optional<std::uint64_t> seed_of_files;
    for (SweepRow& row : rows_from_point_files(folder, sweep, index_time, &seed_of_files)) {
      const std::string key = resume_key(row.key, row.repeat);
      if (row.status == "complete") {
        previous.rows[key] = std::move(row);
      } else {
        previous.rows.try_emplace(key, std::move(row));
      }
    }
    if (!previous.root_seed) previous.root_seed = seed_of_files;
  }
  return previous;
}

std::uint64_t sweep_root_seed(const Spec& base, const SweepOptions& options,
                              const Previous& previous) {
  if (options.seed) return *options.seed;
  if (base.seed) return *base.seed;
  return previous.root_seed ? *previous.root_seed : draw_seed();
}

// The complete earlier row that stands for this point, if any.
const SweepRow* resumable(const Previous& previous, const SweepPoint& point,
                          const std::string& identity, const std::string& folder) {
  const auto found = previous.rows.find(resume_key(point.key, point.repeat));
  if (found == previous.rows.end() || found->second.status != "complete" ||
      found->second.identity != identity) {
    return nullptr;
  }
  std::error_code error;
  return fs::exists(fs::path(folder) / found->second.file, error) ? &found->second : nullptr;
}

// The headline metrics of a point resumed from its file (the index was not
// there to give them).
std::vector<HeadlineMetric> metrics_from_file(const std::string& path) {
  try {
    const RunReader reader(path);
    return headline_metrics(reader, reader.stages());
  } catch (const std::exception&) {
    return {};  // a file that cannot be read has no metrics to give
  }
}

}  // namespace

std::string sweep_folder(const std::string& results_dir, const Spec& base) {
  return (fs::path(results_dir) / base.name / base.sweep->name).string();
}

std::string sweep_toml(const SweepSpec& sweep) {
  std::string text = "[sweep]\nname = " + format_param_value(ParamValue{sweep.name}) +
                     "\nrepeats = " + std::to_string(sweep.repeats) + "\nseeds = " +
                     (sweep.seeds == SweepSeeds::kShared ? "\"shared\"" : "\"independent\"") + "\n";
  for (const auto& [title, axes] : {std::pair{"grid", &sweep.grid}, {"zip", &sweep.zip}}) {
    if (axes->empty()) continue;
    text += std::string("[sweep.") + title + "]\n";
    for (const SweepAxis& axis : *axes) {
      text += "\"" + axis.name() + "\" = [";
      for (std::size_t i = 0; i < axis.values.size(); ++i) {
        text += (i ? ", " : "") + format_param_value(axis.values[i].value);
      }
      text += "]\n";
    }
  }
  return text;
}

std::vector<SweepRow> rows_from_point_files(const std::string& folder, const std::string& sweep,
                                            std::optional<fs::file_time_type> newer_than,
                                            std::optional<std::uint64_t>* root_seed) {
  std::vector<SweepRow> rows;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (!is_ended_run_file_name(name)) continue;
    if (newer_than && entry.last_write_time(error) <= *newer_than) continue;
    try {
      const RunReader reader(entry.path().string());
      const NamedText tags = reader.tags();
      std::map<std::string, std::string> tag(tags.begin(), tags.end());
      if (tag["sweep"] != sweep) continue;
      SweepRow row;
      row.index = std::stoull(tag.at("sweep_point"));
      row.repeat = std::stoull(tag.at("sweep_repeat"));
      row.key = tag["sweep_key"];
      row.identity = tag["sweep_identity"];
      row.seed = std::stoull(reader.attribute("root_seed"));
      row.status = reader.attribute("status");
      row.run_id = reader.attribute("run_id");
      row.file = name;
      row.root_hash = reader.attribute("root_hash");
      row.error = reader.attribute("error");
      row.where = tag["sweep_where"];
      if (root_seed != nullptr && tag.count("sweep_root_seed")) {
        *root_seed = std::stoull(tag.at("sweep_root_seed"));
      }
      rows.push_back(std::move(row));
    } catch (const std::exception&) {
      // Not a readable point of this sweep (an interrupted or foreign file): left out.
    }
  }
  return rows;
}

SweepOutcome run_sweep(const Spec& base, PluginLoader& loader, const SweepOptions& options,
                       const SweepListener& listener) {
  const SweepSpec& sweep = *base.sweep;
  const std::optional<std::uint64_t> size = sweep_size(sweep);
  if (!size) throw InputError(base.path + ": the sweep has more than 2^63 points");
  SweepOutcome outcome;
  outcome.folder = sweep_folder(options.results_dir, base);
  const std::string index_file = (fs::path(outcome.folder) / "sweep.h5").string();

  const Previous before = previous_points(outcome.folder, sweep.name, options.force);
  const std::map<std::string, SweepRow>& previous = before.rows;
  const std::uint64_t root_seed = sweep_root_seed(base, options, before);

  const std::uint64_t first = options.range ? options.range->first : 0;
  const std::uint64_t last = options.range ? std::min(options.range->second, *size) : *size;
  std::vector<Finished> finished(last > first ? last - first : 0);
  outcome.progress.total = finished.size();
  std::mutex mutex;
  std::atomic<std::uint64_t> next{0};  // the next chunk of positions
  const auto start = Clock::now();
  const std::string started_at = utc_now(kIsoTime);
  const PlanOptions plan_options{std::nullopt, options.data_path};

  // Points run repeat by repeat (every combination of repeat 0, then of
  // repeat 1, ...) though the index lists them repeats fastest: with shared
  // seeds the points of one repeat share stages, so the cache needs to hold
  // one repeat's stages only, and a sweep's memory stays flat. A range (a
  // Slurm task's block) is of positions in this order.
  auto point_at = [&](std::uint64_t k) { return sweep_point_at(sweep, *size, k); };
  // Workers take a whole repeat at a time when there are repeats enough for
  // all of them, so that no two wait for each other's shared stages; else
  // one point at a time.
  const std::uint64_t combinations = *size / sweep.repeats;
  const int jobs = std::max(1, options.jobs);
  const std::uint64_t chunk =
      jobs > 1 && sweep.repeats >= static_cast<std::uint64_t>(jobs) ? combinations : 1;
  std::optional<MemoryStageCache> memory;
  if (options.cache_bytes > 0) memory.emplace(options.cache_bytes, options.reuse);
  StageCache* const cache = memory ? &*memory : options.reuse;

  auto work = [&](int worker) {
    InProcessStageRunner runner;
    RunObserver silent;
    auto stopped = [&] { return options.cancel != nullptr && options.cancel->load(); };
    for (std::uint64_t c = next++; first + c * chunk < last && !stopped(); c = next++) {
      for (std::uint64_t k = first + c * chunk;
           k < std::min(last, first + (c + 1) * chunk) && !stopped(); ++k) {
        const std::uint64_t i = point_at(k);
        const SweepPoint point = sweep_point(sweep, i, root_seed);
        Finished result;
        SweepRow& row = result.row;
        row.index = i;
        row.repeat = point.repeat;
        row.seed = point.seed;
        row.key = point.key;
        for (const auto& [name, value] : point.values)
          row.values.push_back(format_param_value(value.value));
        row.where = options.where + " worker " + std::to_string(worker);
        bool resumed = false;
        std::uint64_t stages_reused = 0;
        try {
          const Plan plan = make_plan(point_spec(base, point), loader, plan_options);
          row.identity = point_identity(plan);
          if (const SweepRow* done = resumable(before, point, row.identity, outcome.folder)) {
            row.status = done->status;
            row.run_id = done->run_id;
            row.file = done->file;
            row.root_hash = done->root_hash;
            row.where = done->where;
            result.metrics =
                done->metrics.empty()
                    ? metrics_from_file((fs::path(outcome.folder) / done->file).string())
                    : metrics_of(*done, before.metric_names);
            resumed = true;
          } else if (!options.run_missing) {
            const auto found = previous.find(resume_key(point.key, point.repeat));
            row.status = "failed";
            if (found != previous.end() && !found->second.error.empty()) {
              row.run_id = found->second.run_id;
              row.file = found->second.file;
              row.error = found->second.error;
              row.where = found->second.where;
            } else {
              row.error =
                  "not run: no complete run file (its task failed, was cancelled or did "
                  "not start)";
              row.where = "";
            }
          } else {
            RunOptions run;
            run.results_dir = options.results_dir;
            run.store = options.store;
            run.folder = outcome.folder;
            run.tags = {{"sweep", sweep.name},
                        {"sweep_point", std::to_string(i)},
                        {"sweep_repeat", std::to_string(point.repeat)},
                        {"sweep_key", point.key},
                        {"sweep_identity", row.identity},
                        {"sweep_root_seed", std::to_string(root_seed)},
                        {"sweep_where", row.where}};
            run.cache = cache;
            run.cancel = options.cancel;
            run.cancel_reason = options.cancel_reason;
            const RunOutcome ran = execute_plan(plan, run, runner, silent);
            row.status = ran.ok ? "complete" : "failed";
            row.run_id = ran.run_id;
            row.file = fs::path(ran.run_file).filename().string();
            row.root_hash = ran.root_hash;
            row.error = ran.error;
            result.metrics = ran.metrics;
            stages_reused = ran.stages_reused;
          }
        } catch (const std::exception& thrown) {
          row.status = "failed";
          row.error = thrown.what();
        }
        const std::lock_guard<std::mutex> lock(mutex);
        SweepProgress& progress = outcome.progress;
        ++progress.done;
        progress.failed += row.status != "complete";
        progress.resumed += resumed;
        progress.stages_reused += stages_reused;
        progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (listener) listener(row, progress);
        finished[k - first] = std::move(result);
      }
    }
  };
  std::vector<std::thread> workers;
  for (int w = 1; w < std::max(1, options.jobs); ++w) workers.emplace_back(work, w);
  work(0);
  for (std::thread& worker : workers) worker.join();

  if (options.cancel != nullptr && options.cancel->load()) {
    outcome.cancelled = true;  // the points that ended have their files; resume reruns the rest
    return outcome;
  }
  std::sort(finished.begin(), finished.end(),
            [](const Finished& a, const Finished& b) { return a.row.index < b.row.index; });
  SweepIndex& index = outcome.index;
  index.name = sweep.name;
  index.workflow = base.name;
  index.workflow_path = base.path;
  index.workflow_text = base.text;
  index.sweep_toml = sweep_toml(sweep);
  index.root_seed = root_seed;
  for (const auto* axes : {&sweep.grid, &sweep.zip}) {
    for (const SweepAxis& axis : *axes) index.axes.push_back(axis.name());
  }
  for (const Finished& point : finished) add_metric_names(index.metric_names, point.metrics);
  for (Finished& point : finished) {
    for (const std::string& name : index.metric_names) {
      point.row.metrics.push_back(headline_value(point.metrics, name));
    }
    index.rows.push_back(std::move(point.row));
  }
  index.context = {{"executor", options.executor.empty()
                                    ? "local -j " + std::to_string(std::max(1, options.jobs))
                                    : options.executor},
                   {"started_at", started_at},
                   {"finished_at", utc_now(kIsoTime)},
                   {"seconds", std::to_string(outcome.progress.seconds)}};
  if (options.write_index) {
    write_sweep_index(index_file, index);
    outcome.index_file = index_file;
  }
  return outcome;
}

SweepRemaining points_to_run(const Spec& base, PluginLoader& loader, const SweepOptions& options) {
  const SweepSpec& sweep = *base.sweep;
  const std::optional<std::uint64_t> size = sweep_size(sweep);
  if (!size) throw InputError(base.path + ": the sweep has more than 2^63 points");
  const std::string folder = sweep_folder(options.results_dir, base);
  const Previous before = previous_points(folder, sweep.name, options.force);
  SweepRemaining remaining;
  remaining.total = *size;
  remaining.root_seed = sweep_root_seed(base, options, before);
  const PlanOptions plan_options{std::nullopt, options.data_path};
  for (std::uint64_t k = 0; k < *size; ++k) {
    const SweepPoint point =
        sweep_point(sweep, sweep_point_at(sweep, *size, k), remaining.root_seed);
    bool done = false;
    try {
      const Plan plan = make_plan(point_spec(base, point), loader, plan_options);
      done = resumable(before, point, point_identity(plan), folder) != nullptr;
    } catch (const std::exception&) {
      // A point that cannot be planned is run, to fail with its reason.
    }
    if (!done) remaining.positions.push_back(k);
  }
  return remaining;
}

}  // namespace rxflow

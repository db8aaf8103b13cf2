// Running a sweep in this process: every point planned from the base
// workflow (sweep_points.h) and executed on one of `jobs` worker threads
// (plugins loaded once), written as an ordinary run file into
// <results>/<workflow>/<sweep name>/, then the sweep index (sweep.h5) written
// once, atomically. A point whose complete run file is already there with
// the same identity (resolved workflow, engine, plugin libraries) is not
// run again; --force runs every point. A failed point never stops the
// others. Results do not depend on `jobs` or on the order points finish: a
// point's file depends only on its plan.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "exec/stage_cache.h"
#include "loader/plugin_loader.h"
#include "plan/plan.h"
#include "spec/spec.h"
#include "store/sweep_index.h"

namespace rxflow {

struct SweepOptions {
  std::string results_dir = "results";
  int jobs = 1;
  bool force = false;  // run every point, complete or not
  StoreOptions store;
  std::vector<std::string> data_path;
  std::optional<std::uint64_t> seed;  // the root seed (--seed); else the file's, else the index's
  std::string where;                  // context recorded for each point ("local", a node)
  // Only the points at these positions [first, last) of the run order
  // (sweep_point_at; a Slurm task's block); all when empty.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> range;
  bool write_index = true;  // false: leave the index to a gather step
  // false (a gather step): a point without a complete run file is recorded
  // as failed, with the error of its failed file if it has one, not run.
  bool run_missing = true;
  std::string executor;  // the index's executor context; "" for "local -j N"
  // Stages are shared between points in memory (exec/memory_stage_cache.h),
  // up to this many bytes of artifacts; 0: not at all.
  std::size_t cache_bytes = std::size_t{32} << 20;
  StageCache* reuse = nullptr;  // earlier runs' stages (--reuse DIR); may be null
  // Once true, no point starts and the points running stop (within a stage
  // that checks, else before their next stage), kept as failed
  // ("<cancel_reason> before stage ..." or "... during stage ..."); no
  // index is written. May be null.
  const std::atomic<bool>* cancel = nullptr;
  std::string cancel_reason = "cancelled";
};

struct SweepProgress {
  std::uint64_t total = 0;  // points to consider
  std::uint64_t done = 0;   // of which finished now (run or resumed)
  std::uint64_t failed = 0;
  std::uint64_t resumed = 0;        // complete already, not run again
  std::uint64_t stages_reused = 0;  // stages of the points run taken from the stage cache
  double seconds = 0;
};

// Told each point as it finishes, from the worker thread that ran it, one
// call at a time (the runner serialises them).
using SweepListener = std::function<void(const SweepRow& row, const SweepProgress& progress)>;

struct SweepOutcome {
  bool cancelled = false;  // stopped by SweepOptions::cancel
  std::string folder;
  std::string index_file;  // "" when write_index is false
  SweepIndex index;
  SweepProgress progress;
};

// The sweep's folder for a workflow.
std::string sweep_folder(const std::string& results_dir, const Spec& base);

// Throws InputError before anything runs: no sweep, or one whose first
// point cannot be planned. REQUIRES: base.sweep.
SweepOutcome run_sweep(const Spec& base, PluginLoader& loader, const SweepOptions& options,
                       const SweepListener& listener);

// What is left to run of a sweep: the positions (in run order,
// sweep_point_at) of the points without a complete run file of their
// identity, and the root seed the sweep has or will have.
struct SweepRemaining {
  std::uint64_t total = 0;  // points in the sweep
  std::vector<std::uint64_t> positions;
  std::uint64_t root_seed = 0;
};
SweepRemaining points_to_run(const Spec& base, PluginLoader& loader, const SweepOptions& options);

// The rows of the points of sweep `sweep` rebuilt from the run files in
// folder (their /tags): for an index that is missing or damaged, or (with
// newer_than) for points written after it. root_seed, when given, receives
// the sweep's root seed the files record.
std::vector<SweepRow> rows_from_point_files(
    const std::string& folder, const std::string& sweep,
    std::optional<std::filesystem::file_time_type> newer_than = std::nullopt,
    std::optional<std::uint64_t>* root_seed = nullptr);

// The sweep as a [sweep] table, for the index.
std::string sweep_toml(const SweepSpec& sweep);

}  // namespace rxflow

// The rxflow commands, as functions of already-parsed arguments, so that
// the CLI (core/cli) only parses and the tests can call them directly.
// Each prints results to out, progress and errors to err, and returns the
// exit code: 0 success, 1 a run failed or a file did not verify, 2 bad
// input. Bad input is reported by throwing InputError; the caller prints it
// and exits 2. Commands with --json build a result and print it with one
// printer (commands/output.h).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "audit/run_file_stage_cache.h"
#include "commands/output.h"
#include "commands/slurm_executor.h"
#include "spec/spec.h"
#include "store/run_file.h"

namespace rxflow {

struct WorkflowArgs {
  std::string workflow_file;
  std::vector<std::string> overrides;  // "stage.param=value"
  std::optional<std::uint64_t> seed;
  std::vector<std::string> plugin_path;  // extra folders
};

struct RunArgs {
  WorkflowArgs workflow;
  std::string results_dir = "results";
  bool quiet = false;
  bool dry_run = false;   // print the resolved plan, run nothing
  std::string reuse_dir;  // reuse stages from the run files there; "" for none
  StoreOptions store;
};

int command_run(const RunArgs& args, std::ostream& out, std::ostream& err);

// The stages of the run files under folder (--reuse), with a line on err
// saying how many there are (unless quiet).
RunFileStageCache open_reuse_folder(const std::string& folder, bool quiet, std::ostream& err);

struct SweepArgs {
  WorkflowArgs workflow;
  std::vector<std::string> grid;  // "stage.param=v1,v2,..." added to [sweep.grid]
  std::vector<std::string> zip;   // added to [sweep.zip]
  std::optional<std::uint64_t> repeats;
  std::optional<SweepSeeds> seeds;
  std::string name;  // the sweep's name (its folder); "" keeps the file's
  std::string results_dir = "results";
  int jobs = 1;
  bool force = false;
  bool allow_large = false;
  bool quiet = false;
  std::string reuse_dir;   // reuse stages from the run files there; "" for none
  bool no_cache = false;   // points share no stages in memory
  bool no_report = false;  // leave out the sweep report
  StoreOptions store;
  // The Slurm executor (commands/slurm_executor.h) and its tasks' modes.
  bool slurm = false;  // --executor slurm
  SlurmOptions slurm_options;
  bool wait = false;  // block until the Slurm jobs are done
  std::optional<std::pair<std::uint64_t, std::uint64_t>> points;  // a task's block
  std::optional<std::string> gather;  // the gather step, with its executor context
};

// The workflow's spec with the command line's sweep applied. Throws
// InputError when there is no sweep at all.
Spec sweep_spec_of(const SweepArgs& args);

// 0 when every point completed, 1 when any failed.
int command_sweep(const SweepArgs& args, std::ostream& out, std::ostream& err);
// rxflow clean DIR [--delete]: lists (or removes) what interrupted runs left.
int command_clean(const std::string& folder, bool remove, std::ostream& out);
// rxflow sweep --status DIR.
int command_sweep_status(const std::string& folder, std::ostream& out);
int command_validate(const WorkflowArgs& args, std::ostream& out);
int command_plugins(const std::vector<std::string>& plugin_path, std::ostream& out);
int command_describe(const std::string& name, const std::vector<std::string>& plugin_path,
                     std::ostream& out);
int command_show(const std::string& run_file, OutputFormat format, std::ostream& out);
// show on a sweep index (sweep.h5).
// Writes the sweep report of index_file into to_dir ("" for report/ beside
// it) and prints the page's path.
int command_report(const std::string& index_file, const std::string& to_dir, std::ostream& out);
int command_show_sweep(const std::string& index_file, OutputFormat format, std::ostream& out);

// 0 when the file proves complete and unchanged, 1 otherwise.
int command_verify(const std::string& run_file, OutputFormat format, std::ostream& out);

struct ReplayArgs {
  std::string run_file;
  std::string results_dir = "results";
  bool allow_drift = false;
  bool quiet = false;
  OutputFormat format = OutputFormat::kText;
  std::vector<std::string> plugin_path;
  int jobs = 1;  // a sweep's points at once
};

// Whether the file can be replayed: it ended, its format is this one, and
// it verifies. 0, or 1 after printing the refusal to err; throws InputError
// for a file that did not end or has an older format. Only reads, so the
// CLI runs it in a child process (support/isolated.h).
int check_replayable(const std::string& run_file, std::ostream& err);
// The same check: "" when replayable, else why not (one line); throws
// InputError as check_replayable does.
std::string replay_refusal(const std::string& run_file);

// REQUIRES: check_replayable(args.run_file) gave 0. 0 only when the replay
// completed and every artifact is identical; 1 when it differs or failed.
int command_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err);
// replay on a sweep index: every point that completed, on args.jobs
// workers, each checked first in a child process; one verdict per point.
// 0 when every one is identical.
int command_replay_sweep(const ReplayArgs& args, std::ostream& out, std::ostream& err);

// Always 0 when both files could be read: a difference is the answer, not a failure.
int command_diff(const std::string& file_a, const std::string& file_b, OutputFormat format,
                 std::ostream& out);

struct LogArgs {
  std::string results_dir = "results";
  std::string workflow;  // only this workflow
  std::string since;     // only runs started at or after this ISO date or time
  std::string status;    // only runs with this status
  bool unknown_drugs = false;
  bool points = false;  // a sweep's points one by one, not one row per sweep
  OutputFormat format = OutputFormat::kText;
};

int command_log(const LogArgs& args, std::ostream& out);

struct ExportArgs {
  std::string run_file;
  std::string to_dir;
  bool json = false;  // tables as JSON instead of CSV
};

int command_export(const ExportArgs& args, std::ostream& out);

}  // namespace rxflow

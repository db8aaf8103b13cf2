// The Slurm executor of a sweep: the points still to run (points_to_run)
// cut into blocks of run-order positions, submitted as one job array
// (`sbatch --array`, each task one block, run by `rxflow sweep ... --points
// FIRST:LAST`, which resumes what is complete), and a gather job after it
// (`--dependency=afterany`, so it also runs after failed or cancelled
// tasks) that writes the index and the report from the point files (`rxflow
// sweep ... --gather`). The batch scripts are plain bash, kept in the
// sweep's folder under slurm/ with what was submitted (submission.json), and
// call rxflow by absolute path. Points are run files like any other: their
// root hashes do not depend on where they ran.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace rxflow {

struct SlurmOptions {
  std::string partition;                 // "" for the cluster's default
  std::string time;                      // --time, "" for the partition's default
  std::string mem;                       // --mem
  int cpus_per_task = 1;                 // also each task's -j
  int array_parallelism = 0;             // at most this many tasks at once; 0: no limit
  std::vector<std::string> sbatch_args;  // passed to sbatch as they are
  std::uint64_t points_per_task = 200;   // the block size
};

struct SlurmJob {
  std::string folder;       // the sweep's folder
  std::string working_dir;  // where the batch scripts run (paths are relative to it)
  // `rxflow sweep FILE ...`, to which --points or --gather is added.
  std::vector<std::string> command;
  std::vector<std::string> task_options;  // added to the tasks' command only (--force)
  std::uint64_t total = 0;                // points in the sweep
  std::vector<std::uint64_t> positions;   // run-order positions still to run
  std::string name;                       // the sweep's, for the job names
};

struct SlurmSubmission {
  std::string array_job;  // "" when nothing was left to run
  std::string gather_job;
  std::uint64_t tasks = 0;
  std::uint64_t points = 0;  // points in the submitted blocks
};

// Throws InputError when sbatch is missing or refuses a job (its message).
SlurmSubmission submit_to_slurm(const SlurmJob& job, const SlurmOptions& options);

// Blocks until the gather job has ended, printing progress (points with a
// run file / total, rate, time left) to err unless quiet. Returns the
// gather's exit code: 0 every point complete, 1 some failed; throws
// InputError when the gather ended without writing the index.
int wait_for_slurm(const std::string& folder, const SlurmSubmission& submission,
                   std::uint64_t total, bool quiet, std::ostream& err);

// `rxflow sweep --status DIR`: where the last submission into the sweep
// folder stands (its jobs as squeue sees them, points done). Throws
// InputError when DIR has no submission.
void print_slurm_status(const std::string& folder, std::ostream& out);

}  // namespace rxflow

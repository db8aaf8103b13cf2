// rxflow sweep: many runs from one workflow, their points in parallel, the
// sweep index written once they are done (sweep/sweep_runner.h).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands/commands.h"
#include "commands/sweep_progress.h"
#include "support/errors.h"
#include "support/install_paths.h"
#include "support/interrupts.h"
#include "sweep/sweep_check.h"
#include "sweep/sweep_report.h"
#include "sweep/sweep_runner.h"

namespace rxflow {

namespace fs = std::filesystem;

Spec sweep_spec_of(const SweepArgs& args) {
  Spec spec = parse_spec_file(args.workflow.workflow_file);
  for (const std::string& assignment : args.workflow.overrides) apply_override(spec, assignment);
  const bool from_command_line = !args.grid.empty() || !args.zip.empty() || args.repeats;
  if (!spec.sweep && !from_command_line) {
    throw InputError(args.workflow.workflow_file +
                     ": no sweep: the workflow has no [sweep] table and no --grid, --zip or "
                     "--repeats was given");
  }
  if (!spec.sweep) {
    spec.sweep = SweepSpec{};
    spec.sweep->where = {"the command line", 0, 0};
  }
  // An axis from the command line replaces the file's axis of that name.
  SweepSpec& sweep = *spec.sweep;
  auto add = [&](std::vector<SweepAxis>& axes, const std::string& text, const char* option) {
    SweepAxis axis = parse_sweep_axis(text, option);
    for (std::vector<SweepAxis>* file_axes : {&sweep.grid, &sweep.zip}) {
      std::erase_if(*file_axes, [&](const SweepAxis& other) {
        return other.where.line != 0 && other.name() == axis.name();
      });
    }
    axes.push_back(std::move(axis));
  };
  for (const std::string& axis : args.grid) add(sweep.grid, axis, "--grid");
  for (const std::string& axis : args.zip) add(sweep.zip, axis, "--zip");
  for (const SweepAxis& axis : spec.sweep->zip) {
    if (axis.values.size() != spec.sweep->zip.front().values.size()) {
      fail_at(axis.where, "\"" + axis.name() + "\" has " + std::to_string(axis.values.size()) +
                              " values, \"" + spec.sweep->zip.front().name() + "\" has " +
                              std::to_string(spec.sweep->zip.front().values.size()) +
                              " (zipped lists advance together, so they need equal lengths)");
    }
  }
  check_sweep_axes(*spec.sweep);
  if (args.repeats) spec.sweep->repeats = *args.repeats;
  if (args.seeds) spec.sweep->seeds = *args.seeds;
  if (!args.name.empty()) spec.sweep->name = args.name;
  return spec;
}

namespace {

std::string host_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// Where a point runs, as its context: a Slurm array task on its node, or
// this machine.
std::string where_points_run() {
  const char* job = std::getenv("SLURM_ARRAY_JOB_ID");
  const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (job != nullptr && task != nullptr) {
    return std::string("slurm job ") + job + "_" + task + " on " + host_name();
  }
  return "local " + host_name();
}

// `rxflow sweep ...` as the batch scripts run it: the same sweep, with
// this binary by absolute path and the root seed fixed.
std::vector<std::string> sweep_command(const SweepArgs& args, std::uint64_t root_seed) {
  std::vector<std::string> argv{fs::read_symlink("/proc/self/exe").string(), "sweep",
                                args.workflow.workflow_file};
  for (const std::string& value : args.workflow.overrides)
    argv.insert(argv.end(), {"--set", value});
  for (const std::string& value : args.workflow.plugin_path) {
    argv.insert(argv.end(), {"--plugin-path", value});
  }
  for (const std::string& value : args.grid) argv.insert(argv.end(), {"--grid", value});
  for (const std::string& value : args.zip) argv.insert(argv.end(), {"--zip", value});
  if (args.repeats) argv.insert(argv.end(), {"--repeats", std::to_string(*args.repeats)});
  if (args.seeds) {
    argv.insert(argv.end(),
                {"--seeds", *args.seeds == SweepSeeds::kShared ? "shared" : "independent"});
  }
  if (!args.name.empty()) argv.insert(argv.end(), {"--name", args.name});
  if (args.allow_large) argv.push_back("--allow-large");
  if (!args.reuse_dir.empty()) argv.insert(argv.end(), {"--reuse", args.reuse_dir});
  if (args.no_cache) argv.push_back("--no-cache");
  if (args.no_report) argv.push_back("--no-report");
  argv.insert(argv.end(),
              {"--out", args.results_dir, "--compress", std::to_string(args.store.deflate_level),
               "--seed", std::to_string(root_seed)});
  return argv;
}

void print_failures(const SweepIndex& index, std::ostream& err) {
  for (const SweepRow& row : index.rows) {
    if (row.status != "complete") {
      err << "rxflow: point " << row.index << " (" << (row.key.empty() ? "no values" : row.key)
          << ", repeat " << row.repeat << ") failed: " << row.error << "\n";
    }
  }
}

int submit_sweep(const SweepArgs& args, const Spec& spec, PluginLoader& loader,
                 const SweepOptions& options, std::ostream& out, std::ostream& err) {
  const SweepRemaining remaining = points_to_run(spec, loader, options);
  SlurmJob job;
  job.folder = sweep_folder(options.results_dir, spec);
  job.working_dir = fs::current_path().string();
  job.command = sweep_command(args, remaining.root_seed);
  job.total = remaining.total;
  job.positions = remaining.positions;
  job.name = spec.sweep->name;
  if (args.force) job.task_options.push_back("--force");  // the tasks rerun; the gather reads
  const SlurmSubmission submission = submit_to_slurm(job, args.slurm_options);
  if (!args.quiet) {
    err << "slurm: " << submission.points << " of " << remaining.total << " points to run ("
        << remaining.total - remaining.positions.size() << " complete already) in "
        << submission.tasks << " array tasks";
    if (!submission.array_job.empty()) err << ", array job " << submission.array_job;
    err << ", gather job " << submission.gather_job << "; batch scripts in " << job.folder
        << "/slurm/\n";
  }
  if (!args.wait) {
    if (!args.quiet) err << "`rxflow sweep --status " << job.folder << "` tells where it stands\n";
    out << job.folder << "\n";
    return 0;
  }
  const int gathered = wait_for_slurm(job.folder, submission, remaining.total, args.quiet, err);
  const std::string index_file = (fs::path(job.folder) / "sweep.h5").string();
  print_failures(read_sweep_index(index_file), err);
  out << index_file << "\n";
  return gathered == 0 ? 0 : 1;
}

}  // namespace

int command_sweep_status(const std::string& folder, std::ostream& out) {
  print_slurm_status(folder, out);
  return 0;
}

int command_sweep(const SweepArgs& args, std::ostream& out, std::ostream& err) {
  const Spec spec = sweep_spec_of(args);
  PluginLoader loader(default_plugin_path(args.workflow.plugin_path));
  const SweepSize size = check_sweep(spec, loader, {builtin_data_dir()}, args.allow_large);
  SweepOptions options;
  options.results_dir = args.results_dir;
  options.jobs = args.jobs;
  options.force = args.force;
  options.store = args.store;
  options.data_path = {builtin_data_dir()};
  options.seed = args.workflow.seed;
  options.where = where_points_run();
  if (args.slurm) return submit_sweep(args, spec, loader, options, out, err);
  options.range = args.points;
  options.write_index = !args.points;
  if (args.gather) {
    options.run_missing = false;
    options.executor = *args.gather;
  }
  if (args.no_cache) options.cache_bytes = 0;
  std::optional<RunFileStageCache> reuse;
  if (!args.reuse_dir.empty()) reuse.emplace(open_reuse_folder(args.reuse_dir, args.quiet, err));
  if (reuse) options.reuse = &*reuse;
  if (!args.quiet) {
    err << "sweep " << spec.sweep->name << " of " << spec.name << ": " << size.points << " points ("
        << size.combinations << " combinations x " << spec.sweep->repeats << " repeats) on "
        << args.jobs << " worker" << (args.jobs == 1 ? "" : "s") << "\n";
  }
  catch_interrupts();
  options.cancel = &interrupt_requested();
  options.cancel_reason = kInterruptedReason;
  SweepProgressPrinter printer(err, isatty(STDERR_FILENO) != 0);
  const SweepOutcome outcome =
      run_sweep(spec, loader, options, [&](const SweepRow& row, const SweepProgress& progress) {
        if (!args.quiet) printer.update(row, progress);
      });
  if (!args.quiet) printer.finish(outcome.progress);
  if (outcome.cancelled) {
    err << "rxflow: sweep " << kInterruptedReason << " after " << outcome.progress.done
        << " points; the points running were kept as failed, no index was written; the same "
           "command resumes\n";
    return 128 + interrupt_signal();
  }
  print_failures(outcome.index, err);
  if (args.points) return outcome.progress.failed == 0 ? 0 : 1;  // the gather writes the index
  out << outcome.index_file << "\n";
  if (!args.no_report) {
    const std::string page = write_sweep_report(outcome.index, outcome.index_file,
                                                default_sweep_report_folder(outcome.index_file));
    if (!args.quiet) err << "report: " << page << "\n";
  }
  return outcome.progress.failed == 0 ? 0 : 1;
}

}  // namespace rxflow

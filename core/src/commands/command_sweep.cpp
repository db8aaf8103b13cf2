// rxflow sweep: many runs from one workflow, their points in parallel, the
// sweep index written once they are done (sweep/sweep_runner.h).
#include <unistd.h>

#include <iostream>

#include "commands/commands.h"
#include "commands/sweep_progress.h"
#include "support/errors.h"
#include "support/install_paths.h"
#include "sweep/sweep_check.h"
#include "sweep/sweep_report.h"
#include "sweep/sweep_runner.h"

namespace rxflow {

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
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  options.where = std::string("local ") + host;
  if (args.no_cache) options.cache_bytes = 0;
  std::optional<RunFileStageCache> reuse;
  if (!args.reuse_dir.empty()) reuse.emplace(open_reuse_folder(args.reuse_dir, args.quiet, err));
  if (reuse) options.reuse = &*reuse;
  if (!args.quiet) {
    err << "sweep " << spec.sweep->name << " of " << spec.name << ": " << size.points << " points ("
        << size.combinations << " combinations x " << spec.sweep->repeats << " repeats) on "
        << args.jobs << " worker" << (args.jobs == 1 ? "" : "s") << "\n";
  }
  SweepProgressPrinter printer(err, isatty(STDERR_FILENO) != 0);
  const SweepOutcome outcome =
      run_sweep(spec, loader, options, [&](const SweepRow& row, const SweepProgress& progress) {
        if (!args.quiet) printer.update(row, progress);
      });
  if (!args.quiet) printer.finish(outcome.progress);
  for (const SweepRow& row : outcome.index.rows) {
    if (row.status != "complete") {
      err << "rxflow: point " << row.index << " (" << (row.key.empty() ? "no values" : row.key)
          << ", repeat " << row.repeat << ") failed: " << row.error << "\n";
    }
  }
  out << outcome.index_file << "\n";
  if (!args.no_report) {
    const std::string page = write_sweep_report(outcome.index, outcome.index_file,
                                                default_sweep_report_folder(outcome.index_file));
    if (!args.quiet) err << "report: " << page << "\n";
  }
  return outcome.progress.failed == 0 ? 0 : 1;
}

}  // namespace rxflow

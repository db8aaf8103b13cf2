// rxflow run and rxflow validate: a workflow file made into a plan, then
// run (or, with --dry-run, its plan printed), or only checked.
#include <iomanip>

#include "commands/commands.h"
#include "commands/stage_printer.h"
#include "exec/executor.h"
#include "plan/plan.h"
#include "support/install_paths.h"
#include "support/interrupts.h"
#include "sweep/sweep_check.h"

namespace rxflow {
namespace {

Plan plan_workflow(const WorkflowArgs& args, PluginLoader& loader) {
  Spec spec = parse_spec_file(args.workflow_file);
  for (const std::string& assignment : args.overrides) apply_override(spec, assignment);
  return make_plan(std::move(spec), loader, PlanOptions{args.seed, {builtin_data_dir()}});
}

// The resolved plan for people: stages in run order, bindings, seeds and
// every parameter with where its value came from.
void print_plan(const Plan& plan, std::ostream& out) {
  out << "workflow " << plan.spec.name << " (" << plan.spec.path << "), root seed "
      << plan.root_seed << (plan.seed_was_drawn ? " (drawn)" : "") << ", " << plan.stages.size()
      << " stages in run order\n";
  for (const PlannedStage& stage : plan.stages) {
    const PluginInfo& info = stage.plugin->info;
    out << "\nstage " << stage.id << ": " << info.name << " " << info.version << " ("
        << info.kind.name << (stage.renders() ? ", renders the run" : "") << "), seed "
        << stage.seed << "\n";
    for (const PlannedInput& input : stage.inputs) {
      out << "  input  " << std::left << std::setw(30) << input.port << "<- " << input.stage << "."
          << input.output << (input.by_name ? "  (by name)" : "") << "\n";
    }
    for (const ResolvedParam& param : stage.params) {
      out << "  param  " << std::setw(30) << param.spec.name << "= "
          << format_param_value(param.value) << "  (" << param.origin << ")\n";
    }
    for (const ParamRow& row : stage.rows) out << "  row    " << format_param_row(row) << "\n";
    for (const auto& [port, artifact] : stage.declared_outputs) {
      out << "  known  " << std::left << std::setw(30) << port << dtype_name(artifact.dtype())
          << shape_text(artifact.shape) << " (declared before running)\n";
    }
  }
}

}  // namespace

RunFileStageCache open_reuse_folder(const std::string& folder, bool quiet, std::ostream& err) {
  RunFileStageCache cache(folder);
  if (!quiet) {
    err << "reuse: " << cache.stages() << " stages from " << cache.files() << " run files in "
        << folder;
    if (cache.skipped() > 0)
      err << " (" << cache.skipped() << " files left out: they do not verify)";
    err << "\n";
  }
  return cache;
}

int command_run(const RunArgs& args, std::ostream& out, std::ostream& err) {
  PluginLoader loader(default_plugin_path(args.workflow.plugin_path));
  const Plan plan = plan_workflow(args.workflow, loader);
  if (args.dry_run) {
    print_plan(plan, out);
    return 0;
  }
  if (plan.spec.sweep && !args.quiet) {
    err << "rxflow: note: the workflow has a [sweep] table; rxflow run runs its base, rxflow "
           "sweep runs the sweep\n";
  }
  std::optional<RunFileStageCache> reuse;
  if (!args.reuse_dir.empty()) reuse.emplace(open_reuse_folder(args.reuse_dir, args.quiet, err));
  InProcessStageRunner runner;
  StagePrinter printer(err);
  RunObserver silent;
  RunOptions options{args.results_dir, args.store};
  if (reuse) options.cache = &*reuse;
  catch_interrupts();
  options.cancel = &interrupt_requested();
  options.cancel_reason = kInterruptedReason;
  const RunOutcome outcome = execute_plan(plan, options, runner, args.quiet ? silent : printer);
  if (!outcome.ok) {
    err << "rxflow: " << outcome.error << "\n";
    if (!outcome.run_file.empty()) {
      err << "rxflow: the failed run was kept as " << outcome.run_file << "\n";
    }
    return interrupt_signal() != 0 ? 128 + interrupt_signal() : 1;
  }
  out << outcome.run_file << "\n";
  return 0;
}

int command_validate(const WorkflowArgs& args, std::ostream& out) {
  PluginLoader loader(default_plugin_path(args.plugin_path));
  const Plan plan = plan_workflow(args, loader);
  out << args.workflow_file << ": valid (" << plan.stages.size() << " stages; run order:";
  for (const PlannedStage& stage : plan.stages) out << " " << stage.id;
  out << ")\n";
  if (plan.spec.sweep) {
    const SweepSize size = check_sweep(plan.spec, loader, {builtin_data_dir()}, false);
    out << "sweep " << plan.spec.sweep->name << ": " << size.points << " points ("
        << size.combinations << " combinations x " << plan.spec.sweep->repeats
        << " repeats), every combination's plan checked\n";
  }
  return 0;
}

}  // namespace rxflow

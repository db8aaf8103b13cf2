#include <iostream>

#include "commands/commands.h"
#include "exec/executor.h"
#include "support/install_paths.h"
#include "plan/plan.h"

namespace rxflow {
namespace {

Plan plan_workflow(const WorkflowArgs& args, PluginLoader& loader) {
  Spec spec = parse_spec_file(args.workflow_file);
  for (const std::string& assignment : args.overrides) apply_override(spec, assignment);
  return make_plan(std::move(spec), loader, PlanOptions{args.seed, {builtin_data_dir()}});
}

}  // namespace

int command_run(const RunArgs& args, std::ostream& out, std::ostream& err) {
  PluginLoader loader(default_plugin_path(args.workflow.plugin_path));
  const Plan plan = plan_workflow(args.workflow, loader);
  const RunOutcome outcome =
      execute_plan(plan, RunOptions{args.results_dir, args.quiet, args.store, {}}, err);
  if (!outcome.ok) {
    err << "rxflow: " << outcome.error << "\n";
    err << "rxflow: the failed run was kept as " << outcome.run_file << "\n";
    return 1;
  }
  out << outcome.run_file << "\n";
  return 0;
}

int command_validate(const WorkflowArgs& args, std::ostream& out) {
  PluginLoader loader(default_plugin_path(args.plugin_path));
  const Plan plan = plan_workflow(args, loader);
  out << args.workflow_file << ": valid (" << plan.stages.size() << " stages, "
      << plan.spec.requests.size() << " requests; run order:";
  for (const PlannedStage& stage : plan.stages) out << " " << stage.id;
  out << ")\n";
  return 0;
}

}  // namespace rxflow

// Plan: the validated graph a run executes. Every plugin was found and
// described itself; every parameter and row was checked against its schema,
// with defaults filled in and file parameters resolved and hashed; every
// input is bound to an upstream output of a compatible type (by hand, or by
// port name); stages are in topological order, rendering stages last; every
// stage has its derived seed; every plugin checked its own configuration and
// declared the outputs it knows before running; every [serve] tunable is a
// parameter a form field can hold. `rxflow validate` stops
// here. A plain value, safe to share between threads once made; it points
// into the PluginLoader that made it, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/plugin_loader.h"
#include "spec/spec.h"

namespace rxflow {

struct ResolvedParam {
  ParamSpec spec;
  ParamValue value;
  std::string origin;       // "default", or where the value was written
  std::string file_path;    // kFile only: the file found
  std::string file_sha256;  // kFile only: its SHA-256
};

struct PlannedInput {
  std::string port;
  std::string stage;     // upstream stage id
  std::string output;    // its output port
  bool by_name = false;  // bound by port name, not written in the workflow
};

struct PlannedStage {
  std::string id;
  const LoadedPlugin* plugin = nullptr;
  std::uint64_t seed = 0;
  std::vector<ResolvedParam> params;  // in the plugin's schema order
  std::vector<PlannedInput> inputs;   // bound inputs, in the plugin's order
  std::vector<ParamRow> rows;         // [[stage.rows]], checked, defaults filled
  // Outputs the plugin knew at plan time (Plugin::check); the stage must
  // emit the same values.
  std::vector<std::pair<std::string, Artifact>> declared_outputs;

  bool renders() const { return plugin->info.kind.renders; }
  // A declared output's value, or nullptr.
  const Artifact* declared_output(const std::string& port) const;
};

struct Plan {
  Spec spec;
  std::uint64_t root_seed = 0;
  bool seed_was_drawn = false;  // neither the file nor --seed gave one
  std::vector<PlannedStage> stages;
  std::string resolved_workflow;  // resolved_workflow_toml(*this), made once
};

struct PlanOptions {
  std::optional<std::uint64_t> seed;   // overrides [workflow] seed
  std::vector<std::string> data_path;  // where relative file parameters are looked up
};

// Throws InputError naming file:line (or the key) for every problem listed
// in the header comment.
Plan make_plan(Spec spec, PluginLoader& loader, const PlanOptions& options);

// The workflow as it runs: defaults filled, overrides applied, every
// binding written out, the root seed given, stages in run order.
// parse_spec_text reads it back to the same plan.
std::string resolved_workflow_toml(const Plan& plan);

}  // namespace rxflow

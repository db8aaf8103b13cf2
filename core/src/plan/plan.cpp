#include "plan/plan.h"

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "plan/planned_params.h"
#include "rxflow/seed.h"
#include "schema/output_check.h"
#include "schema/param_check.h"
#include "support/errors.h"
#include "support/sha256.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& text) { return format_param_value(ParamValue{text}); }

// A TOML key: bare when it can be, else quoted (a port named "decoder.0.weight"
// written bare would read back as nested tables).
std::string toml_key(const std::string& name) {
  const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  return bare ? name : quoted(name);
}

template <typename Items, typename Name>
std::string name_list(const Items& items, Name name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + name(item);
  return out.empty() ? "none" : out;
}

std::string resolve_file(const std::string& written, const std::string& workflow_path,
                         const std::vector<std::string>& data_path, std::string* looked_in) {
  const fs::path path(written);
  std::vector<fs::path> candidates;
  if (path.is_absolute()) {
    candidates.push_back(path);
  } else {
    candidates.push_back(fs::path(workflow_path).parent_path() / path);
    for (const std::string& folder : data_path) candidates.push_back(fs::path(folder) / path);
  }
  for (const fs::path& candidate : candidates) {
    std::error_code error;
    if (fs::is_regular_file(candidate, error))
      return fs::absolute(candidate).lexically_normal().string();
    *looked_in += (looked_in->empty() ? "" : ", ") + candidate.parent_path().string();
  }
  return "";
}

// Values checked against a schema: the parameters of a stage, or one of its
// rows. Messages start with subject ("stage \"cohort\"") and name each value
// as noun ("parameter", "row 2 column").
std::vector<ResolvedParam> resolve_values(const std::map<std::string, SpecValue>& given,
                                          const std::vector<ParamSpec>& schema,
                                          const std::string& subject, const std::string& noun,
                                          const SourceLocation& where_all,
                                          const std::string& plugin,
                                          const std::string& workflow_path,
                                          const std::vector<std::string>& data_path) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const ParamSpec& spec : schema) known |= spec.name == name;
    if (!known) {
      fail_at(value.where, subject + ": unknown " + noun + " \"" + name + "\" for plugin \"" +
                               plugin + "\" (known: " +
                               name_list(schema, [](const ParamSpec& s) { return s.name; }) + ")");
    }
  }
  std::vector<ResolvedParam> values;
  for (const ParamSpec& spec : schema) {
    ResolvedParam param{spec, {}, "default", "", ""};
    SourceLocation where = where_all;
    if (auto found = given.find(spec.name); found != given.end()) {
      where = found->second.where;
      param.origin = where.to_string();
      std::optional<ParamValue> value = conform_param_value(spec, found->second.value);
      if (!value) {
        fail_at(where, subject + ": " + noun + " \"" + spec.name + "\" must be " +
                           param_expectation(spec) + ", got " + found->second.written);
      }
      param.value = std::move(*value);
    } else if (spec.default_value) {
      param.value = *spec.default_value;
    } else {
      fail_at(where_all, subject + ": missing required " + noun + " \"" + spec.name + "\" (" +
                             param_expectation(spec) + ") for plugin \"" + plugin + "\"");
    }
    if (spec.type == ParamType::kFile && !std::get<std::string>(param.value).empty()) {
      const std::string& written = std::get<std::string>(param.value);
      std::string looked_in;
      param.file_path = resolve_file(written, workflow_path, data_path, &looked_in);
      if (param.file_path.empty()) {
        fail_at(where, subject + ": " + noun + " \"" + spec.name + "\": file " + quoted(written) +
                           " not found (looked in " + looked_in + ")");
      }
      try {
        param.file_sha256 = sha256_file_hex(param.file_path);
      } catch (const std::exception& error) {
        fail_at(where, subject + ": " + noun + " \"" + spec.name + "\": " + error.what());
      }
    }
    values.push_back(std::move(param));
  }
  return values;
}

std::vector<ParamRow> resolve_rows(const StageSpec& stage, const PluginInfo& info) {
  const std::string what = "stage \"" + stage.id + "\"";
  if (!stage.rows.empty() && info.row_schema.empty()) {
    fail_at(stage.rows.front().where,
            what + ": plugin \"" + info.name + "\" takes no rows ([[stage.rows]])");
  }
  std::vector<ParamRow> rows;
  for (std::size_t i = 0; i < stage.rows.size(); ++i) {
    ParamRow row;
    for (ResolvedParam& value : resolve_values(stage.rows[i].values, info.row_schema, what,
                                               "row " + std::to_string(i + 1) + " column",
                                               stage.rows[i].where, info.name, "", {})) {
      row.values.emplace_back(value.spec.name, std::move(value.value));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

const PortSpec* find_port(const std::vector<PortSpec>& ports, const std::string& name) {
  for (const PortSpec& port : ports) {
    if (port.name == name) return &port;
  }
  return nullptr;
}

struct StageEntry {
  const StageSpec* spec;
  const PluginInfo* info;
};

std::string port_names(const std::vector<PortSpec>& ports) {
  return name_list(ports, [](const PortSpec& p) { return p.name; });
}

// Inputs bound by hand are checked; every other input is bound to the one
// output of the same name that another, non-rendering stage declares.
std::vector<PlannedInput> bind_inputs(const StageEntry& entry, const std::vector<StageEntry>& all) {
  const StageSpec& stage = *entry.spec;
  const PluginInfo& info = *entry.info;
  const std::string what = "stage \"" + stage.id + "\"";
  auto find_stage = [&](const std::string& id) -> const StageEntry* {
    for (const StageEntry& other : all) {
      if (other.spec->id == id) return &other;
    }
    return nullptr;
  };
  for (const auto& [port_name, binding] : stage.inputs) {
    const PortSpec* port = find_port(info.inputs, port_name);
    const std::string bound =
        "input \"" + port_name + "\" is bound to \"" + binding.stage + "." + binding.output + "\"";
    if (port == nullptr) {
      fail_at(binding.where, what + ": unknown input \"" + port_name + "\" for plugin \"" +
                                 info.name + "\" (inputs: " + port_names(info.inputs) + ")");
    }
    const StageEntry* upstream = find_stage(binding.stage);
    if (upstream == nullptr) {
      fail_at(binding.where,
              what + ": " + bound + ", but there is no stage \"" + binding.stage + "\"");
    }
    if (upstream->info->kind.renders) {
      fail_at(binding.where, what + ": " + bound + ", but \"" + binding.stage +
                                 "\" renders the run (kind " + upstream->info->kind.name +
                                 ") and feeds no other stage");
    }
    const PortSpec* output = find_port(upstream->info->outputs, binding.output);
    if (output == nullptr) {
      fail_at(binding.where, what + ": " + bound + ", but plugin \"" + upstream->info->name +
                                 "\" has no output \"" + binding.output +
                                 "\" (outputs: " + port_names(upstream->info->outputs) + ")");
    }
    const bool rank_fits = port->rank < 0 || output->rank < 0 || port->rank == output->rank;
    if (port->dtype != output->dtype || !rank_fits) {
      fail_at(binding.where, what + ": input \"" + port_name + "\" expects " + port->type_name() +
                                 ", but \"" + binding.stage + "." + binding.output + "\" is " +
                                 output->type_name());
    }
  }
  std::vector<PlannedInput> inputs;
  for (const PortSpec& port : info.inputs) {
    if (const auto written = stage.inputs.find(port.name); written != stage.inputs.end()) {
      inputs.push_back({port.name, written->second.stage, written->second.output, false});
      continue;
    }
    std::vector<std::string> candidates;
    for (const StageEntry& other : all) {
      if (other.spec == entry.spec || other.info->kind.renders) continue;
      const PortSpec* output = find_port(other.info->outputs, port.name);
      if (output == nullptr) continue;
      const bool rank_fits = port.rank < 0 || output->rank < 0 || port.rank == output->rank;
      if (output->dtype == port.dtype && rank_fits) candidates.push_back(other.spec->id);
    }
    if (candidates.size() > 1) {
      fail_at(
          stage.where,
          what + ": input \"" + port.name + "\" (" + port.type_name() +
              ") matches the outputs of " + std::to_string(candidates.size()) + " stages (" +
              name_list(candidates, [&](const std::string& id) { return id + "." + port.name; }) +
              "); bind it in [stage.inputs]");
    }
    if (candidates.empty()) {
      if (port.optional) continue;
      fail_at(stage.where, what + ": input \"" + port.name + "\" (" + port.type_name() +
                               ") of plugin \"" + info.name +
                               "\" is not bound and no other stage has an output \"" + port.name +
                               "\" of that type; bind it in [stage.inputs] as \"stage.output\"");
    }
    inputs.push_back({port.name, candidates.front(), port.name, true});
  }
  return inputs;
}

// Kahn's algorithm over the bindings; among ready stages the one written
// first runs first.
std::vector<std::size_t> topological_order(const std::vector<StageSpec>& stages,
                                           const std::vector<std::vector<PlannedInput>>& inputs) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < stages.size(); ++i) index[stages[i].id] = i;
  std::vector<std::set<std::size_t>> upstream(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (const PlannedInput& input : inputs[i]) upstream[i].insert(index.at(input.stage));
  }
  std::vector<std::size_t> order;
  std::vector<bool> done(stages.size(), false);
  std::size_t first_waiting = 0;
  while (order.size() < stages.size()) {
    while (done[first_waiting]) ++first_waiting;
    bool progressed = false;
    for (std::size_t i = first_waiting; i < stages.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (std::size_t u : upstream[i]) ready &= done[u];
      if (!ready) continue;
      done[i] = true;
      order.push_back(i);
      progressed = true;
      break;
    }
    if (!progressed) {
      // Walk upstream from any waiting stage until a stage repeats: a cycle.
      std::size_t current = first_waiting;
      std::vector<std::size_t> path;
      std::set<std::size_t> on_path;
      while (on_path.insert(current).second) {
        path.push_back(current);
        for (std::size_t u : upstream[current]) {
          if (!done[u]) {
            current = u;
            break;
          }
        }
      }
      std::string cycle;
      for (auto it = std::find(path.begin(), path.end(), current); it != path.end(); ++it) {
        cycle += stages[*it].id + " -> ";
      }
      cycle += stages[current].id;
      fail_at(stages[current].where,
              "the stages form a cycle: " + cycle + " (each takes an input from the next)");
    }
  }
  return order;
}

std::uint64_t draw_root_seed() {
  std::random_device device;
  const std::uint64_t high = device(), low = device();
  return ((high << 32) | low) & 0x7fffffffffffffffULL;
}

// The plan-time view of one stage: its parameters, the declared outputs of
// the stages it reads, and a place to declare its own.
class StagePlanCheck final : public PlannedParams<PlanCheck> {
 public:
  StagePlanCheck(PlannedStage& stage, const std::vector<PlannedStage>& upstream)
      : PlannedParams(stage), stage_(stage), upstream_(upstream) {}

  bool has_input(std::string_view port) const override {
    for (const PlannedInput& input : stage_.inputs) {
      if (input.port == port) return true;
    }
    return false;
  }

  const Artifact* known_input(std::string_view port) const override {
    for (const PlannedInput& input : stage_.inputs) {
      if (input.port != port) continue;
      for (const PlannedStage& other : upstream_) {
        if (other.id == input.stage) return other.declared_output(input.output);
      }
    }
    return nullptr;
  }

  void declare_output(std::string_view port, Artifact artifact) override {
    check_output(stage_.plugin->info, port, artifact);
    if (stage_.declared_output(std::string(port)) != nullptr) {
      throw std::logic_error("declared output \"" + std::string(port) + "\" twice");
    }
    stage_.declared_outputs.emplace_back(std::string(port), std::move(artifact));
  }

 private:
  PlannedStage& stage_;
  const std::vector<PlannedStage>& upstream_;
};

void check_stage(PlannedStage& stage, const std::vector<PlannedStage>& upstream,
                 const SourceLocation& where) {
  StagePlanCheck check(stage, upstream);
  std::string error;
  try {
    stage.plugin->create()->check(check);
  } catch (const std::exception& thrown) {
    error = thrown.what();
  } catch (...) {
    error = "the plugin's check threw something that is not a std::exception";
  }
  if (!error.empty()) {
    fail_at(where, "stage \"" + stage.id + "\" (plugin " + stage.plugin->info.name + "): " + error);
  }
}

// Each [serve] tunable is a parameter of its stage's plugin that a form field
// can hold: a number, a boolean or a string (a file field would let the form
// name files on the server).
void check_tunables(const ServeSpec& serve, const std::vector<PlannedStage>& stages) {
  for (const TunableParam& tunable : serve.tunable) {
    const auto stage = std::find_if(stages.begin(), stages.end(),
                                    [&](const PlannedStage& s) { return s.id == tunable.stage; });
    assert(stage != stages.end());  // parse_spec_text checked that the stage exists
    const auto& params = stage->params;
    const auto param = std::find_if(params.begin(), params.end(), [&](const ResolvedParam& p) {
      return p.spec.name == tunable.param;
    });
    const std::string what = "[serve] tunable \"" + tunable.name() + "\"";
    if (param == params.end()) {
      fail_at(tunable.where,
              what + ": plugin \"" + stage->plugin->info.name + "\" of stage \"" + stage->id +
                  "\" has no parameter \"" + tunable.param + "\" (known: " +
                  name_list(params, [](const ResolvedParam& p) { return p.spec.name; }) + ")");
    }
    const ParamType type = param->spec.type;
    if (type != ParamType::kInt && type != ParamType::kFloat && type != ParamType::kBool &&
        type != ParamType::kString) {
      fail_at(tunable.where, what + " is a " + param_type_name(type) +
                                 " parameter; a form field holds an int, float, bool or "
                                 "string parameter only");
    }
  }
}

}  // namespace

const Artifact* PlannedStage::declared_output(const std::string& port) const {
  for (const auto& [name, artifact] : declared_outputs) {
    if (name == port) return &artifact;
  }
  return nullptr;
}

Plan make_plan(Spec spec, PluginLoader& loader, const PlanOptions& options) {
  Plan plan;
  std::vector<StageEntry> entries;
  std::vector<const LoadedPlugin*> plugins;
  for (const StageSpec& stage : spec.stages) {
    try {
      plugins.push_back(&loader.load(stage.plugin));
    } catch (const InputError& error) {
      fail_at(stage.where, "stage \"" + stage.id + "\": " + error.what());
    }
    entries.push_back({&stage, &plugins.back()->info});
  }
  std::vector<PlannedStage> planned;
  std::vector<std::vector<PlannedInput>> bindings;
  for (std::size_t i = 0; i < spec.stages.size(); ++i) {
    const StageSpec& stage = spec.stages[i];
    const PluginInfo& info = plugins[i]->info;
    PlannedStage out;
    out.id = stage.id;
    out.plugin = plugins[i];
    out.params = resolve_values(stage.params, info.params, "stage \"" + stage.id + "\"",
                                "parameter", stage.where, info.name, spec.path, options.data_path);
    out.rows = resolve_rows(stage, info);
    out.inputs = bind_inputs(entries[i], entries);
    bindings.push_back(out.inputs);
    planned.push_back(std::move(out));
  }
  if (spec.serve) check_tunables(*spec.serve, planned);
  if (options.seed) {
    plan.root_seed = *options.seed;
  } else if (spec.seed) {
    plan.root_seed = *spec.seed;
  } else {
    plan.root_seed = draw_root_seed();
    plan.seed_was_drawn = true;
  }
  std::vector<SourceLocation> where;
  for (std::size_t i : topological_order(spec.stages, bindings)) {
    PlannedStage stage = std::move(planned[i]);
    stage.seed = derive_seed(plan.root_seed, stage.id);
    plan.stages.push_back(std::move(stage));
    where.push_back(spec.stages[i].where);
  }
  // Rendering stages after every other stage: they show the finished computation.
  std::vector<std::size_t> order(plan.stages.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_partition(order.begin(), order.end(),
                        [&](std::size_t i) { return !plan.stages[i].renders(); });
  std::vector<PlannedStage> ordered;
  for (std::size_t i : order) {
    ordered.push_back(std::move(plan.stages[i]));
    check_stage(ordered.back(), ordered, where[i]);
  }
  plan.stages = std::move(ordered);
  plan.spec = std::move(spec);
  plan.resolved_workflow = resolved_workflow_toml(plan);
  return plan;
}

std::string resolved_workflow_toml(const Plan& plan) {
  std::ostringstream out;
  const Spec& spec = plan.spec;
  out << "# Resolved by rxflow: defaults filled in, overrides applied, stages in run order.\n";
  out << "[workflow]\nname = " << quoted(spec.name) << "\n";
  out << "description = " << quoted(spec.description) << "\n";
  out << "seed = " << plan.root_seed << "\n";
  for (const PlannedStage& stage : plan.stages) {
    out << "\n[[stage]]\nid = " << quoted(stage.id)
        << "\nplugin = " << quoted(stage.plugin->info.name) << "\n";
    if (!stage.params.empty()) {
      out << "[stage.params]\n";
      for (const ResolvedParam& param : stage.params) {
        out << param.spec.name << " = " << format_param_value(param.value) << "\n";
      }
    }
    if (!stage.inputs.empty()) {
      out << "[stage.inputs]\n";
      for (const PlannedInput& input : stage.inputs) {
        out << toml_key(input.port) << " = " << quoted(input.stage + "." + input.output) << "\n";
      }
    }
    for (const ParamRow& row : stage.rows) {
      out << "[[stage.rows]]\n";
      for (const auto& [name, value] : row.values) {
        out << name << " = " << format_param_value(value) << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace rxflow

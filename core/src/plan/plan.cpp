#include "plan/plan.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "support/errors.h"
#include "schema/param_check.h"
#include "rxflow/seed.h"
#include "support/sha256.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& text) { return format_param_value(ParamValue{text}); }

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

std::vector<ResolvedParam> resolve_params(const StageSpec& stage, const PluginInfo& info,
                                          const std::string& workflow_path,
                                          const std::vector<std::string>& data_path) {
  const std::string what = "stage \"" + stage.id + "\"";
  for (const auto& [name, value] : stage.params) {
    bool known = false;
    for (const ParamSpec& spec : info.params) known |= spec.name == name;
    if (!known) {
      fail_at(value.where, what + ": unknown parameter \"" + name + "\" for plugin \"" + info.name +
                               "\" (known: " +
                               name_list(info.params, [](const ParamSpec& s) { return s.name; }) +
                               ")");
    }
  }
  std::vector<ResolvedParam> params;
  for (const ParamSpec& spec : info.params) {
    ResolvedParam param{spec, {}, "default", "", ""};
    SourceLocation where = stage.where;
    if (auto given = stage.params.find(spec.name); given != stage.params.end()) {
      where = given->second.where;
      param.origin = where.to_string();
      std::optional<ParamValue> value = conform_param_value(spec, given->second.value);
      if (!value) {
        fail_at(where, what + ": parameter \"" + spec.name + "\" must be " +
                           param_expectation(spec) + ", got " + given->second.written);
      }
      param.value = std::move(*value);
    } else if (spec.default_value) {
      param.value = *spec.default_value;
    } else {
      fail_at(stage.where, what + ": missing required parameter \"" + spec.name + "\" (" +
                               param_expectation(spec) + ") for plugin \"" + info.name + "\"");
    }
    if (spec.type == ParamType::kFile && !std::get<std::string>(param.value).empty()) {
      const std::string& written = std::get<std::string>(param.value);
      std::string looked_in;
      param.file_path = resolve_file(written, workflow_path, data_path, &looked_in);
      if (param.file_path.empty()) {
        fail_at(where, what + ": parameter \"" + spec.name + "\": file " + quoted(written) +
                           " not found (looked in " + looked_in + ")");
      }
      try {
        param.file_sha256 = sha256_file_hex(param.file_path);
      } catch (const std::exception& error) {
        fail_at(where, what + ": parameter \"" + spec.name + "\": " + error.what());
      }
    }
    params.push_back(std::move(param));
  }
  return params;
}

const PortSpec* find_port(const std::vector<PortSpec>& ports, const std::string& name) {
  for (const PortSpec& port : ports) {
    if (port.name == name) return &port;
  }
  return nullptr;
}

std::vector<PlannedInput> bind_inputs(const StageSpec& stage, const PluginInfo& info,
                                      const std::map<std::string, const PluginInfo*>& by_stage) {
  const std::string what = "stage \"" + stage.id + "\"";
  auto port_names = [](const std::vector<PortSpec>& ports) {
    return name_list(ports, [](const PortSpec& p) { return p.name; });
  };
  for (const auto& [port_name, binding] : stage.inputs) {
    const PortSpec* port = find_port(info.inputs, port_name);
    if (port == nullptr) {
      fail_at(binding.where, what + ": unknown input \"" + port_name + "\" for plugin \"" +
                                 info.name + "\" (inputs: " + port_names(info.inputs) + ")");
    }
    const auto upstream = by_stage.find(binding.stage);
    if (upstream == by_stage.end()) {
      fail_at(binding.where, what + ": input \"" + port_name + "\" is bound to \"" + binding.stage +
                                 "." + binding.output + "\", but there is no stage \"" +
                                 binding.stage + "\"");
    }
    if (upstream->second->kind == PluginKind::kReporter) {
      fail_at(binding.where, what + ": input \"" + port_name + "\" is bound to \"" + binding.stage +
                                 "." + binding.output + "\", but \"" + binding.stage +
                                 "\" is a reporter, and reporters feed no other stage");
    }
    const PortSpec* output = find_port(upstream->second->outputs, binding.output);
    if (output == nullptr) {
      fail_at(binding.where, what + ": input \"" + port_name + "\" is bound to \"" + binding.stage +
                                 "." + binding.output + "\", but plugin \"" +
                                 upstream->second->name + "\" has no output \"" + binding.output +
                                 "\" (outputs: " + port_names(upstream->second->outputs) + ")");
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
    const auto binding = stage.inputs.find(port.name);
    if (binding == stage.inputs.end()) {
      if (port.optional) continue;
      fail_at(stage.where, what + ": input \"" + port.name + "\" (" + port.type_name() +
                               ") of plugin \"" + info.name +
                               "\" is not bound; bind it in [stage.inputs] as \"stage.output\"");
    }
    inputs.push_back({port.name, binding->second.stage, binding->second.output});
  }
  return inputs;
}

// Kahn's algorithm; among ready stages the one written first runs first.
std::vector<std::size_t> topological_order(const std::vector<StageSpec>& stages) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < stages.size(); ++i) index[stages[i].id] = i;
  std::vector<std::set<std::size_t>> upstream(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (const auto& [port, binding] : stages[i].inputs)
      upstream[i].insert(index.at(binding.stage));
  }
  std::vector<std::size_t> order;
  std::vector<bool> done(stages.size(), false);
  while (order.size() < stages.size()) {
    bool progressed = false;
    for (std::size_t i = 0; i < stages.size(); ++i) {
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
      std::size_t current = 0;
      while (done[current]) ++current;
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

}  // namespace

Plan make_plan(Spec spec, PluginLoader& loader, const PlanOptions& options) {
  Plan plan;
  std::map<std::string, const PluginInfo*> by_stage;
  std::map<std::string, const LoadedPlugin*> plugins;
  for (const StageSpec& stage : spec.stages) {
    try {
      plugins[stage.id] = &loader.load(stage.plugin);
    } catch (const InputError& error) {
      fail_at(stage.where, "stage \"" + stage.id + "\": " + error.what());
    }
    by_stage[stage.id] = &plugins[stage.id]->info;
  }
  std::map<std::string, PlannedStage> planned;
  for (const StageSpec& stage : spec.stages) {
    const LoadedPlugin* plugin = plugins.at(stage.id);
    PlannedStage out;
    out.id = stage.id;
    out.plugin = plugin;
    out.params = resolve_params(stage, plugin->info, spec.path, options.data_path);
    out.inputs = bind_inputs(stage, plugin->info, by_stage);
    planned[stage.id] = std::move(out);
  }
  if (options.seed) {
    plan.root_seed = *options.seed;
  } else if (spec.seed) {
    plan.root_seed = *spec.seed;
  } else {
    plan.root_seed = draw_root_seed();
    plan.seed_was_drawn = true;
  }
  for (std::size_t i : topological_order(spec.stages)) {
    PlannedStage stage = std::move(planned[spec.stages[i].id]);
    stage.seed = derive_seed(plan.root_seed, stage.id);
    plan.stages.push_back(std::move(stage));
  }
  // Reporters after every other stage: they render the finished computation.
  std::stable_partition(plan.stages.begin(), plan.stages.end(), [](const PlannedStage& stage) {
    return stage.plugin->info.kind != PluginKind::kReporter;
  });
  plan.spec = std::move(spec);
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
        out << input.port << " = " << quoted(input.stage + "." + input.output) << "\n";
      }
    }
  }
  for (const Request& request : spec.requests) {
    out << "\n[[request]]\npatient_id = " << quoted(request.patient_id)
        << "\nage = " << format_param_value(request.age)
        << "\nweight_kg = " << format_param_value(request.weight_kg)
        << "\ngender = " << quoted(gender_name(request.gender))
        << "\ngenetic_marker = " << format_param_value(request.genetic_marker)
        << "\ncomorbidity = " << format_param_value(request.comorbidity)
        << "\ndrug = " << quoted(request.drug) << "\n";
  }
  return out.str();
}

}  // namespace rxflow

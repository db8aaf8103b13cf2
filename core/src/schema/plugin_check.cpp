#include "schema/plugin_check.h"

#include <set>

#include "schema/param_check.h"
#include "support/errors.h"
#include "support/identifier.h"

namespace rxflow {
namespace {

void check_unique_ports(const std::vector<PortSpec>& ports, const char* direction,
                        const std::string& file) {
  std::set<std::string> names;
  for (const PortSpec& port : ports) {
    if (!is_port_name(port.name) || !names.insert(port.name).second) {
      throw InputError(file + ": " + direction + " port \"" + port.name + "\" is not " +
                       kPortNameRule + ", or is declared twice");
    }
  }
}

void check_schema(const std::vector<ParamSpec>& schema, const char* what, const std::string& file) {
  std::set<std::string> names;
  for (const ParamSpec& spec : schema) {
    if (!is_identifier(spec.name) || !names.insert(spec.name).second) {
      throw InputError(file + ": " + what + " \"" + spec.name + "\" is not " + kIdentifierRule +
                       ", or is declared twice");
    }
    if (spec.default_value && !conform_param_value(spec, *spec.default_value)) {
      throw InputError(file + ": the default of " + what + " \"" + spec.name + "\" is not " +
                       param_expectation(spec));
    }
  }
}

// The contract's ports among the plugin's, same name, dtype and rank.
void check_contract_ports(const std::vector<PortSpec>& required,
                          const std::vector<PortSpec>& declared, const char* direction,
                          const PluginInfo& info, const std::string& file) {
  for (const PortSpec& port : required) {
    bool found = false;
    for (const PortSpec& offered : declared) {
      found |=
          offered.name == port.name && offered.dtype == port.dtype && offered.rank == port.rank;
    }
    if (!found) {
      throw InputError(file + ": a plugin of kind " + info.kind.name + " must declare the " +
                       direction + " \"" + port.name + "\" of type " + port.type_name());
    }
  }
}

std::string port_list(const std::vector<PortSpec>& ports) {
  std::string text;
  for (const PortSpec& port : ports) {
    text += (text.empty() ? "" : ", ") + port.name + " " + port.type_name();
  }
  return "{" + text + "}";
}

}  // namespace

void check_plugin_info(const PluginInfo& info, const std::string& file) {
  if (!is_identifier(info.name) || info.version.empty()) {
    throw InputError(file + ": the plugin's name \"" + info.name + "\" is not " + kIdentifierRule +
                     ", or it has no version");
  }
  if (!is_identifier(info.kind.name)) {
    throw InputError(file + ": the plugin's kind \"" + info.kind.name + "\" is not " +
                     kIdentifierRule);
  }
  check_unique_ports(info.inputs, "input", file);
  check_unique_ports(info.outputs, "output", file);
  check_contract_ports(info.kind.inputs, info.inputs, "input", info, file);
  check_contract_ports(info.kind.outputs, info.outputs, "output", info, file);
  for (const PortSpec& port : info.outputs) {
    if (port.metrics && (port.dtype != DType::kFloat64 || port.rank != 2)) {
      throw InputError(file + ": the metrics output \"" + port.name +
                       "\" must be float64[2-d] (one row, a named column per number), not " +
                       port.type_name());
    }
  }
  check_schema(info.params, "parameter", file);
  check_schema(info.row_schema, "row column", file);
  for (const ParamSpec& column : info.row_schema) {
    if (column.type == ParamType::kFile) {
      throw InputError(file + ": row column \"" + column.name +
                       "\" is a file; rows hold plain values (use a file parameter)");
    }
  }
}

void check_same_contract(const KindContract& first, const std::string& first_file,
                         const KindContract& second, const std::string& second_file) {
  auto same_ports = [](const std::vector<PortSpec>& a, const std::vector<PortSpec>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].name != b[i].name || a[i].dtype != b[i].dtype || a[i].rank != b[i].rank) {
        return false;
      }
    }
    return true;
  };
  std::string difference;
  if (!same_ports(first.inputs, second.inputs)) {
    difference = "inputs " + port_list(first.inputs) + " vs " + port_list(second.inputs);
  } else if (!same_ports(first.outputs, second.outputs)) {
    difference = "outputs " + port_list(first.outputs) + " vs " + port_list(second.outputs);
  } else if (first.renders != second.renders) {
    difference = std::string("renders ") + (first.renders ? "true" : "false") + " vs " +
                 (second.renders ? "true" : "false");
  }
  if (!difference.empty()) {
    throw InputError(second_file + ": the plugin states kind " + second.name +
                     " with another contract than " + first_file + " (" + difference + ")");
  }
}

}  // namespace rxflow

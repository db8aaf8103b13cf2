#include "schema/kind_contract.h"

#include <set>

#include "support/errors.h"
#include "schema/param_check.h"

namespace rxflow {
namespace {

struct RequiredOutput {
  const char* name;
  DType dtype;
  int rank;
};

// Downstream stages bind these names, so every plugin of a kind offers them.
std::vector<RequiredOutput> required_outputs(PluginKind kind) {
  switch (kind) {
    case PluginKind::kEmbedding:
      return {{"drug_names", DType::kString, 1},
              {"embeddings", DType::kFloat64, 2},
              {"request_embeddings", DType::kFloat64, 2},
              {"unknown_drugs", DType::kString, 1}};
    case PluginKind::kSimulator:
      return {{"features", DType::kFloat64, 2},
              {"labels", DType::kInt64, 1},
              {"drug", DType::kInt64, 1},
              {"request_features", DType::kFloat64, 2}};
    case PluginKind::kClassifier:
      return {{"validation_labels", DType::kInt64, 1},
              {"validation_probabilities", DType::kFloat64, 1},
              {"test_labels", DType::kInt64, 1},
              {"test_probabilities", DType::kFloat64, 1},
              {"p0", DType::kFloat64, 1}};
    case PluginKind::kGenerator:
      return {{"images", DType::kFloat64, 3}};
    default:
      return {};
  }
}

void check_unique_ports(const std::vector<PortSpec>& ports, const char* direction,
                        const std::string& file) {
  std::set<std::string> names;
  for (const PortSpec& port : ports) {
    if (port.name.empty() || !names.insert(port.name).second) {
      throw InputError(file + ": " + direction + " port \"" + port.name +
                       "\" is empty or declared twice");
    }
  }
}

}  // namespace

void check_plugin_info(const PluginInfo& info, const std::string& file) {
  if (info.name.empty() || info.version.empty()) {
    throw InputError(file + ": the plugin describes itself without a name or version");
  }
  check_unique_ports(info.inputs, "input", file);
  check_unique_ports(info.outputs, "output", file);
  for (const RequiredOutput& required : required_outputs(info.kind)) {
    bool found = false;
    for (const PortSpec& port : info.outputs) {
      found |=
          port.name == required.name && port.dtype == required.dtype && port.rank == required.rank;
    }
    if (!found) {
      throw InputError(
          file + ": a plugin of kind " + plugin_kind_name(info.kind) +
          " must declare the output \"" + required.name + "\" of type " +
          PortSpec{required.name, required.dtype, required.rank, "", false}.type_name());
    }
  }
  std::set<std::string> names;
  for (const ParamSpec& spec : info.params) {
    if (!names.insert(spec.name).second) {
      throw InputError(file + ": parameter \"" + spec.name + "\" is declared twice");
    }
    if (spec.default_value && !conform_param_value(spec, *spec.default_value)) {
      throw InputError(file + ": the default of parameter \"" + spec.name + "\" is not " +
                       param_expectation(spec));
    }
  }
}

}  // namespace rxflow

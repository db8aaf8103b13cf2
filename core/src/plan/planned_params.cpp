#include "plan/planned_params.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "store/tensor_file.h"

namespace rxflow {
namespace {

// The resolved path of a file parameter. REQUIRES: it names a file.
const std::string& file_path(const PlannedStage& stage, std::string_view name) {
  const ResolvedParam& file = planned_param(stage, name, ParamType::kFile);
  if (file.file_path.empty()) {
    throw std::logic_error("file parameter \"" + std::string(name) + "\" is empty");
  }
  return file.file_path;
}

}  // namespace

const ResolvedParam& planned_param(const PlannedStage& stage, std::string_view name,
                                   ParamType type) {
  for (const ResolvedParam& param : stage.params) {
    if (param.spec.name != name) continue;
    const bool file_as_text = type == ParamType::kString && param.spec.type == ParamType::kFile;
    if (param.spec.type != type && !file_as_text) {
      throw std::logic_error("parameter \"" + std::string(name) + "\" is a " +
                             param_type_name(param.spec.type) + ", read as a " +
                             param_type_name(type));
    }
    return param;
  }
  throw std::logic_error("the plugin reads parameter \"" + std::string(name) +
                         "\", which its schema does not declare");
}

std::string read_planned_file(const PlannedStage& stage, std::string_view name) {
  const std::string& path = file_path(stage, name);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(path + ": cannot read (parameter \"" + std::string(name) + "\")");
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<std::pair<std::string, Artifact>> read_planned_tensor_file(const PlannedStage& stage,
                                                                       std::string_view name) {
  return read_tensor_file(file_path(stage, name));
}

}  // namespace rxflow

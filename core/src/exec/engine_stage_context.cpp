#include "exec/engine_stage_context.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "store/tensor_file.h"

namespace rxflow {

EngineStageContext::EngineStageContext(const PlannedStage& stage,
                                       std::map<std::string, const Artifact*> inputs,
                                       const std::vector<Request>& requests,
                                       const RunInfo& run_info, std::string output_dir,
                                       LogSink log_sink)
    : stage_(stage),
      inputs_(std::move(inputs)),
      requests_(requests),
      run_info_(run_info),
      output_dir_(std::move(output_dir)),
      log_sink_(std::move(log_sink)),
      rng_(stage.seed) {}

const ResolvedParam& EngineStageContext::param(std::string_view name, ParamType type) const {
  for (const ResolvedParam& param : stage_.params) {
    if (param.spec.name == name) {
      const bool file_as_text = type == ParamType::kString && param.spec.type == ParamType::kFile;
      if (param.spec.type != type && !file_as_text) {
        throw std::logic_error("parameter \"" + std::string(name) + "\" is a " +
                               param_type_name(param.spec.type) + ", read as a " +
                               param_type_name(type));
      }
      return param;
    }
  }
  throw std::logic_error("the plugin reads parameter \"" + std::string(name) +
                         "\", which its schema does not declare");
}

std::int64_t EngineStageContext::param_int(std::string_view name) const {
  return std::get<std::int64_t>(param(name, ParamType::kInt).value);
}

double EngineStageContext::param_float(std::string_view name) const {
  return std::get<double>(param(name, ParamType::kFloat).value);
}

bool EngineStageContext::param_bool(std::string_view name) const {
  return std::get<bool>(param(name, ParamType::kBool).value);
}

const std::string& EngineStageContext::param_string(std::string_view name) const {
  return std::get<std::string>(param(name, ParamType::kString).value);
}

const std::vector<double>& EngineStageContext::param_float_list(std::string_view name) const {
  return std::get<std::vector<double>>(param(name, ParamType::kFloatList).value);
}

const std::vector<std::string>& EngineStageContext::param_string_list(std::string_view name) const {
  return std::get<std::vector<std::string>>(param(name, ParamType::kStringList).value);
}

const std::string& EngineStageContext::file_path(std::string_view name) const {
  const ResolvedParam& file = param(name, ParamType::kFile);
  if (file.file_path.empty()) {
    throw std::logic_error("file parameter \"" + std::string(name) + "\" is empty");
  }
  return file.file_path;
}

std::string EngineStageContext::read_file_param(std::string_view name) const {
  const std::string& path = file_path(name);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(path + ": cannot read (parameter \"" + std::string(name) + "\")");
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<std::pair<std::string, Artifact>> EngineStageContext::read_tensor_file_param(
    std::string_view name) const {
  return read_tensor_file(file_path(name));
}

bool EngineStageContext::has_input(std::string_view port) const {
  return inputs_.count(std::string(port)) > 0;
}

const Artifact& EngineStageContext::input(std::string_view port) const {
  const auto found = inputs_.find(std::string(port));
  if (found == inputs_.end()) {
    throw std::logic_error("the plugin reads input \"" + std::string(port) +
                           "\", which is not bound");
  }
  return *found->second;
}

std::string EngineStageContext::output_dir() {
  std::error_code error;
  std::filesystem::create_directories(output_dir_, error);
  if (error)
    throw std::runtime_error(output_dir_ + ": cannot create the folder (" + error.message() + ")");
  return output_dir_;
}

void EngineStageContext::log(std::string_view message) {
  log_lines_.emplace_back(message);
  if (log_sink_) log_sink_(stage_.id, log_lines_.back());
}

void EngineStageContext::emit(std::string_view port, Artifact artifact) {
  const PortSpec* declared = nullptr;
  for (const PortSpec& output : stage_.plugin->info.outputs) {
    if (output.name == port) declared = &output;
  }
  const std::string what = "output \"" + std::string(port) + "\"";
  if (declared == nullptr)
    throw std::logic_error("emitted " + what + ", which the plugin does not declare");
  if (outputs_.count(port) > 0) throw std::logic_error("emitted " + what + " twice");
  if (artifact.dtype() != declared->dtype ||
      (declared->rank >= 0 && static_cast<int>(artifact.shape.size()) != declared->rank)) {
    throw std::logic_error("emitted " + what + " as " + std::string(dtype_name(artifact.dtype())) +
                           " of rank " + std::to_string(artifact.shape.size()) + ", declared " +
                           declared->type_name());
  }
  try {
    check_consistent(artifact);
  } catch (const std::invalid_argument& error) {
    throw std::logic_error("emitted " + what + " inconsistent: " + error.what());
  }
  if (const auto* texts = std::get_if<std::vector<std::string>>(&artifact.values)) {
    for (const std::string& text : *texts) {
      if (text.find('\0') != std::string::npos) {
        throw std::logic_error("emitted " + what + " with a NUL character in a string");
      }
    }
  }
  outputs_.emplace(std::string(port), std::move(artifact));
}

std::vector<std::pair<std::string, Artifact>> EngineStageContext::take_outputs() {
  std::vector<std::pair<std::string, Artifact>> outputs;
  for (const PortSpec& output : stage_.plugin->info.outputs) {
    auto found = outputs_.find(output.name);
    if (found == outputs_.end()) {
      throw std::runtime_error("the plugin finished without emitting its output \"" + output.name +
                               "\"");
    }
    outputs.emplace_back(output.name, std::move(found->second));
  }
  outputs_.clear();
  return outputs;
}

}  // namespace rxflow

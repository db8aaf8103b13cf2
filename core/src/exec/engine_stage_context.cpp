#include "exec/engine_stage_context.h"

#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "schema/output_check.h"

namespace rxflow {
namespace {

// Bit for bit: a declared NaN equals an emitted NaN of the same bits.
bool same_content(const Artifact& a, const Artifact& b) {
  if (a.shape != b.shape || a.columns != b.columns || a.dtype() != b.dtype()) return false;
  if (const auto* x = std::get_if<std::vector<double>>(&a.values)) {
    const auto& y = std::get<std::vector<double>>(b.values);
    return x->size() == y.size() &&
           (x->empty() || std::memcmp(x->data(), y.data(), 8 * x->size()) == 0);
  }
  return a.values == b.values;
}

}  // namespace

EngineStageContext::EngineStageContext(const PlannedStage& stage,
                                       std::map<std::string, const Artifact*> inputs,
                                       const RunInfo& run_info, std::string output_dir,
                                       LogSink log_sink, const std::atomic<bool>* cancel,
                                       std::string cancel_reason)
    : PlannedParams(stage),
      inputs_(std::move(inputs)),
      run_info_(run_info),
      output_dir_(std::move(output_dir)),
      log_sink_(std::move(log_sink)),
      cancel_(cancel),
      cancel_reason_(std::move(cancel_reason)),
      rng_(stage.seed) {}

void EngineStageContext::check_cancelled() const {
  // Thrown by the host: no code of the exception lives in a plugin's library.
  if (cancel_ != nullptr && cancel_->load()) {
    throw std::runtime_error(cancel_reason_ + " during the stage");
  }
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
  if (log_sink_) log_sink_(log_lines_.back());
}

void EngineStageContext::emit(std::string_view port, Artifact artifact) {
  check_output(stage_.plugin->info, port, artifact);
  const std::string what = "output \"" + std::string(port) + "\"";
  if (outputs_.count(port) > 0) throw std::logic_error("emitted " + what + " twice");
  if (const Artifact* declared = stage_.declared_output(std::string(port));
      declared != nullptr && !same_content(*declared, artifact)) {
    throw std::logic_error("emitted " + what +
                           " with other values than the plugin declared when the plan was "
                           "checked");
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

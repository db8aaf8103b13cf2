// Plugin: what a shared library exports. It describes itself (kind, version,
// ports, parameter schema) and runs one stage at a time through a
// StageContext. The host creates one Plugin object per stage and destroys it
// before the library could be unloaded (libraries stay loaded for the whole
// process). An exception thrown by run() fails the stage, never the host.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rxflow/param.h"
#include "rxflow/port.h"
#include "rxflow/stage_context.h"

namespace rxflow {

// Reporters render a finished computation for people: they run after every
// other stage, may not feed other stages, and stay out of the root hash.
enum class PluginKind {
  kSimulator,
  kEmbedding,
  kClassifier,
  kCalibrator,
  kEvaluator,
  kGenerator,
  kReporter
};

std::string plugin_kind_name(PluginKind kind);

struct PluginInfo {
  std::string name;  // unique; the library file is rxflow-<name>.so
  PluginKind kind = PluginKind::kSimulator;
  std::string version;  // semantic version of the plugin's behaviour
  std::string summary;  // one line
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  std::vector<ParamSpec> params;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo describe() const = 0;
  // Reads parameters and inputs from ctx and emits every declared output.
  virtual void run(StageContext& ctx) = 0;
};

}  // namespace rxflow

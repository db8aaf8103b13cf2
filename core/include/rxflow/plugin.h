// Plugin: what a shared library exports. It describes itself (kind,
// version, ports, parameter and row schema), may check its configuration
// when the plan is made, and runs one stage at a time through a
// StageContext. The host creates one Plugin object per call and destroys it
// before the library could be unloaded (libraries stay loaded for the whole
// process). An exception thrown by check() is bad input naming the stage; one
// thrown by run() fails the stage, never the host. A Plugin object is used
// by one thread at a time; the host may create several at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rxflow/kind.h"
#include "rxflow/param.h"
#include "rxflow/plan_check.h"
#include "rxflow/port.h"
#include "rxflow/stage_context.h"

namespace rxflow {

struct PluginInfo {
  std::string name;     // an identifier, unique; the library file is rxflow-<name>.so
  KindContract kind;    // e.g. kinds::embedding() (rxflow/kinds.h)
  std::string version;  // semantic version of the plugin's behaviour
  std::string summary;  // one line
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  std::vector<ParamSpec> params;
  // The columns of the rows a stage takes ([[stage.rows]]); empty: none.
  std::vector<ParamSpec> row_schema;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo describe() const = 0;
  // Checks what can be checked before anything runs and declares outputs
  // known now (rxflow/plan_check.h). Throws std::exception with a message
  // naming the parameter, row or input and what was expected.
  virtual void check(PlanCheck&) const {}
  // Reads parameters and inputs from ctx and emits every declared output.
  virtual void run(StageContext& ctx) = 0;
};

}  // namespace rxflow

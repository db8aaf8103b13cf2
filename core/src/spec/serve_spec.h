// ServeSpec: a workflow's [serve] table, exactly as written: the stage
// parameters that rxflow serve's form offers beside the request fields
// ("tunable"). The parser checks that each names a stage of the workflow;
// that it is a parameter of the stage's plugin, of a type a form field can
// hold, is the planner's check. Plain value.
#pragma once

#include <string>
#include <vector>

#include "support/source_location.h"

namespace rxflow {

// One tunable parameter: "stage.param" and where it was listed.
struct TunableParam {
  std::string stage;
  std::string param;
  SourceLocation where;

  std::string name() const { return stage + "." + param; }
};

struct ServeSpec {
  std::vector<TunableParam> tunable;  // in the order listed; no name twice
  SourceLocation where;
};

}  // namespace rxflow

// PlanCheck: what a plugin sees when the plan is checked, before anything
// runs (`rxflow validate` stops after it). Besides its parameters and rows
// (StageParams) a stage sees the inputs whose values are already known, and
// may declare outputs whose values it knows now: a table read from a file,
// the requests written in the experiment file. Downstream checks see those
// as known inputs, so that a wrong drug name, an empty dictionary or a NaN
// in a table is bad input (exit 2) instead of a failed run. The engine
// checks at run time that a declared output is emitted with the same
// content. Owned by the engine; valid only during Plugin::check; not
// thread-safe.
#pragma once

#include <string_view>

#include "rxflow/artifact.h"
#include "rxflow/stage_params.h"

namespace rxflow {

class PlanCheck : public StageParams {
 public:
  // Whether the input is bound (an optional input may be left unbound).
  virtual bool has_input(std::string_view port) const = 0;
  // The value of a bound input known at plan time, or nullptr (unbound, or
  // known only once its stage runs).
  virtual const Artifact* known_input(std::string_view port) const = 0;

  // REQUIRES: port is a declared output, declared once; the artifact's
  // dtype and rank match the port.
  virtual void declare_output(std::string_view port, Artifact artifact) = 0;
};

}  // namespace rxflow

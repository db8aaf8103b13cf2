// SpecValue: one value as an experiment file wrote it, with where it was
// written, so that an error found long after parsing still points at it.
// Plain value.
#pragma once

#include <string>

#include "rxflow/param.h"
#include "support/source_location.h"

namespace rxflow {

// A parameter value as written. Integers stay integers; arrays of numbers
// become float lists, arrays of strings string lists (an empty array is an
// empty float list, accepted for either list type).
struct SpecValue {
  ParamValue value;
  std::string written;  // as TOML would print it, for messages
  SourceLocation where;
};

}  // namespace rxflow

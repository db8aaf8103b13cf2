// Checking one parameter value against its ParamSpec: the type (an integer
// is accepted where a float is expected, never the reverse), the range, the
// allowed choices. Used by the planner for workflow values and by the kind
// contract for a plugin's own defaults.
#pragma once

#include <optional>
#include <string>

#include "rxflow/param.h"

namespace rxflow {

// What a valid value looks like: "an integer in [1, 1000]".
std::string param_expectation(const ParamSpec& spec);

// The value converted to spec.type, or nullopt when it does not fit the
// spec (type, range, choices, non-finite float).
std::optional<ParamValue> conform_param_value(const ParamSpec& spec, const ParamValue& value);

}  // namespace rxflow

// Checks of bound inputs shared by the plugins that read probabilities and
// labels, with messages naming the input, the index and the value found;
// and how those plugins name a request in their log lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rxflow/port.h"
#include "rxflow/stage_context.h"

namespace rxflow::checks {

// The float64 values of input `port`; throws std::runtime_error unless each
// is in [0, 1].
const std::vector<double>& probabilities(const StageContext& ctx, const std::string& port);

// The int64 values of input `port`; throws std::runtime_error unless each is 0 or 1.
const std::vector<std::int64_t>& binary_labels(const StageContext& ctx, const std::string& port);

// The optional input request_ids (one id per request), for log lines.
PortSpec request_ids_input();

// "request \"p1\"" when request_ids is bound and has row i, else "request 3".
std::string request_name(const StageContext& ctx, std::size_t i);

}  // namespace rxflow::checks

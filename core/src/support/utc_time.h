// The current time in UTC, formatted by strftime: run ids, started_at and
// finished_at of runs and sweeps.
#pragma once

#include <string>

namespace rxflow {

inline constexpr const char* kIsoTime = "%Y-%m-%dT%H:%M:%SZ";

std::string utc_now(const char* format);

}  // namespace rxflow

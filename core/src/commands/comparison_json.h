// Artifact comparisons (audit/run_comparison.h) as JSON, for diff and
// replay's --json.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "audit/run_comparison.h"

namespace rxflow {

nlohmann::ordered_json comparison_json(const std::vector<ArtifactComparison>& comparisons);

}  // namespace rxflow

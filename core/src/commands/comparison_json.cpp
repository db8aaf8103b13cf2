#include "commands/comparison_json.h"

namespace rxflow {

nlohmann::ordered_json comparison_json(const std::vector<ArtifactComparison>& comparisons) {
  nlohmann::ordered_json artifacts = nlohmann::ordered_json::array();
  for (const ArtifactComparison& entry : comparisons) {
    artifacts.push_back({{"stage", entry.stage},
                         {"name", entry.name},
                         {"result", comparison_name(entry.status)},
                         {"differing", entry.differing},
                         {"count", entry.count},
                         {"max_abs_diff", entry.max_abs_diff},
                         {"mismatch", entry.mismatch},
                         {"altered_in_a", entry.altered_in_a},
                         {"altered_in_b", entry.altered_in_b}});
  }
  return artifacts;
}

}  // namespace rxflow

// RunInfo: what a reporter shows about the run it renders: identity,
// seeds, the stages with their plugins and versions, and the root hash.
// Reporter stages run after every other stage and are not part of the root
// hash (a report cannot be part of the hash it displays), so root_hash is
// final when a reporter sees it; other stages see it empty.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rxflow {

struct StageSummary {
  std::string id;
  std::string plugin;
  std::string plugin_version;
  std::string plugin_kind;
  std::uint64_t seed = 0;
};

struct RunInfo {
  std::string run_id;
  std::string workflow;
  std::string description;
  std::string run_file;  // the path the run file will have when complete
  std::string root_hash;
  std::string engine_version;
  std::string git_commit;
  std::string started_at;
  std::uint64_t root_seed = 0;
  std::vector<StageSummary> stages;  // in run order
};

}  // namespace rxflow

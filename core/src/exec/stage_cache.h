// StageCache: where a run finds a stage's outputs computed before, by the
// stage's reuse key (store/provenance.h: plugin, its library hash, seed,
// parameters, files, rows, input hashes and the engine; not the stage's id
// or where its inputs came from). Equal keys mean equal outputs, so a reused
// stage is recorded exactly like a computed one (same record, same root
// hash), plus, as context, the run and stage it came from; replay recomputes
// it and proves it. Rendering stages are never reused. Implementations are
// thread-safe: the workers of a sweep share one. A find() that returns
// nothing leaves the stage to the caller, who then offers its outputs or,
// when it failed, abandons the key; a cache may hold other finds of that key
// until then, so that workers do not compute one stage twice.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rxflow/artifact.h"

namespace rxflow {

struct CachedStage {
  std::vector<std::pair<std::string, Artifact>> outputs;  // in declaration order
  std::vector<std::string> log;
  std::string run_id;  // the run that computed them
  std::string stage;   // the stage's id in that run
};

class StageCache {
 public:
  virtual ~StageCache() = default;
  // The outputs of a stage with this key, or nothing.
  virtual std::optional<CachedStage> find(const std::string& key) = 0;
  // A stage just computed, for later runs to find.
  virtual void offer(const std::string& key, const CachedStage& stage) = 0;
  // A stage found nowhere that was not computed (it failed).
  virtual void abandon(const std::string& key) { static_cast<void>(key); }
};

}  // namespace rxflow

// RunFileStageCache: the stages recorded in the run files under a folder, as
// a StageCache (rxflow run --reuse DIR, rxflow sweep --reuse DIR). Only
// files that verify (audit/verify.h) lend stages, each checked once in a
// child process (support/isolated.h) so a damaged file cannot take rxflow
// down; an artifact read later is rehashed and used only if it still
// matches its record. Only complete, non-rendering stages are lent. It
// keeps nothing offered: it only reads. find() is thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "exec/stage_cache.h"

namespace rxflow {

class RunFileStageCache final : public StageCache {
 public:
  // Scans folder and its subfolders. Throws InputError when it is not a
  // folder. Forks: call before other threads start.
  explicit RunFileStageCache(const std::string& folder);

  std::size_t files() const { return files_; }      // run files that verified
  std::size_t skipped() const { return skipped_; }  // .h5 files that did not
  std::size_t stages() const { return sources_.size(); }

  std::optional<CachedStage> find(const std::string& key) override;
  void offer(const std::string&, const CachedStage&) override {}

 private:
  struct Source {
    std::string file;
    std::string run_id;
    std::string stage;
  };
  std::map<std::string, Source> sources_;  // reuse key -> the first file (by path) that has it
  std::size_t files_ = 0;
  std::size_t skipped_ = 0;
};

}  // namespace rxflow

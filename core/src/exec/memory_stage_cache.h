// MemoryStageCache: a StageCache in this process's memory, for the runs of
// one sweep (points of one repeat share their upstream stages), bounded in
// bytes: the least recently used stages are dropped first. Optionally backed
// by another cache (run files on disk, --reuse) that it asks on a miss and
// remembers the answer of. Thread-safe; a find of a key that another
// thread found missing waits until that thread offers or abandons it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <set>

#include "exec/stage_cache.h"

namespace rxflow {

class MemoryStageCache final : public StageCache {
 public:
  explicit MemoryStageCache(std::size_t max_bytes, StageCache* backing = nullptr)
      : max_bytes_(max_bytes), backing_(backing) {}

  std::optional<CachedStage> find(const std::string& key) override;
  void offer(const std::string& key, const CachedStage& stage) override;
  void abandon(const std::string& key) override;

 private:
  struct Entry {
    CachedStage stage;
    std::size_t bytes = 0;
    std::list<std::string>::iterator use;  // its place in uses_
  };
  void insert(const std::string& key, const CachedStage& stage);  // REQUIRES: mutex_ held

  const std::size_t max_bytes_;
  StageCache* const backing_;
  std::mutex mutex_;
  std::condition_variable settled_;  // a key left pending_
  std::set<std::string> pending_;    // keys found missing, being computed
  std::map<std::string, Entry> entries_;
  std::list<std::string> uses_;  // keys, most recently used first
  std::size_t bytes_ = 0;
};

}  // namespace rxflow

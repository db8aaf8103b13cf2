#include "exec/memory_stage_cache.h"

#include <type_traits>

namespace rxflow {
namespace {

std::size_t size_of(const CachedStage& stage) {
  std::size_t bytes = 0;
  for (const auto& [name, artifact] : stage.outputs) {
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            for (const std::string& value : values) bytes += value.size() + sizeof value;
          } else {
            bytes += values.size() * sizeof(T);
          }
        },
        artifact.values);
  }
  return bytes;
}

}  // namespace

std::optional<CachedStage> MemoryStageCache::find(const std::string& key) {
  {
    std::unique_lock lock(mutex_);
    settled_.wait(lock, [&] { return pending_.count(key) == 0; });
    const auto found = entries_.find(key);
    if (found != entries_.end()) {
      uses_.splice(uses_.begin(), uses_, found->second.use);
      return found->second.stage;
    }
    pending_.insert(key);
  }
  std::optional<CachedStage> stage;
  if (backing_ != nullptr) {
    try {
      stage = backing_->find(key);
    } catch (...) {
      abandon(key);
      throw;
    }
  }
  if (stage) offer(key, *stage);
  return stage;
}

void MemoryStageCache::offer(const std::string& key, const CachedStage& stage) {
  {
    std::lock_guard lock(mutex_);
    insert(key, stage);
    pending_.erase(key);
  }
  settled_.notify_all();
}

void MemoryStageCache::abandon(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    pending_.erase(key);
  }
  settled_.notify_all();
}

void MemoryStageCache::insert(const std::string& key, const CachedStage& stage) {
  const std::size_t bytes = size_of(stage);
  if (bytes > max_bytes_ || entries_.count(key) != 0) return;
  while (bytes_ + bytes > max_bytes_) {
    const auto oldest = entries_.find(uses_.back());
    bytes_ -= oldest->second.bytes;
    entries_.erase(oldest);
    uses_.pop_back();
  }
  uses_.push_front(key);
  entries_.emplace(key, Entry{stage, bytes, uses_.begin()});
  bytes_ += bytes;
}

}  // namespace rxflow

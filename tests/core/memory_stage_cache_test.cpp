// MemoryStageCache: finds what was offered, drops the least recently used
// stage when full, keeps nothing larger than its bound, and asks its backing
// cache on a miss, remembering the answer.
#include "exec/memory_stage_cache.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

// A stage whose one output is `values` doubles (8 bytes each) equal to `mark`.
CachedStage stage_of(std::size_t values, double mark) {
  return {{{"out", Artifact::vector(std::vector<double>(values, mark))}},
          {"a log line"},
          "run",
          "stage"};
}

double mark_of(const std::optional<CachedStage>& stage) {
  return std::get<std::vector<double>>(stage->outputs.at(0).second.values).at(0);
}

class CountingCache final : public StageCache {
 public:
  std::optional<CachedStage> find(const std::string& key) override {
    ++asked;
    if (key == "on disk") return stage_of(1, 9);
    return std::nullopt;
  }
  void offer(const std::string&, const CachedStage&) override { ++offered; }
  int asked = 0;
  int offered = 0;
};

TEST_CASE("the memory stage cache keeps the most recently used stages within its bound",
          "[cache]") {
  MemoryStageCache cache(2000);  // room for two stages of 100 doubles
  cache.offer("a", stage_of(100, 1));
  cache.offer("b", stage_of(100, 2));
  REQUIRE(cache.find("a"));  // a is now more recent than b
  cache.offer("c", stage_of(100, 3));
  CHECK(mark_of(cache.find("a")) == 1);
  CHECK_FALSE(cache.find("b"));
  CHECK(mark_of(cache.find("c")) == 3);
  CHECK(cache.find("a")->log == std::vector<std::string>{"a log line"});
  cache.offer("huge", stage_of(300, 4));  // larger than the whole cache
  CHECK_FALSE(cache.find("huge"));
  CHECK(cache.find("a"));
  CHECK(cache.find("c"));
}

TEST_CASE("the memory stage cache asks its backing cache on a miss and remembers the answer",
          "[cache]") {
  CountingCache disk;
  MemoryStageCache cache(1000, &disk);
  CHECK(mark_of(cache.find("on disk")) == 9);
  CHECK(mark_of(cache.find("on disk")) == 9);
  CHECK(disk.asked == 1);
  CHECK_FALSE(cache.find("nowhere"));
  CHECK(disk.asked == 2);
  cache.offer("computed", stage_of(1, 5));
  CHECK(disk.offered == 0);  // a backing cache of run files is only read
}

}  // namespace
}  // namespace rxflow

// MemoryStageCache: finds what was offered, drops the least recently used
// stage when full, keeps nothing larger than its bound, asks its backing
// cache on a miss, remembering the answer, and lets one thread compute a
// stage that others then find.
#include "exec/memory_stage_cache.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>

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

TEST_CASE("a stage found missing is computed once: other finds wait for its offer", "[cache]") {
  MemoryStageCache cache(1000);
  REQUIRE_FALSE(cache.find("shared"));  // this thread computes it
  std::atomic<bool> offered{false};
  auto other = std::async(std::launch::async, [&] {
    std::optional<CachedStage> found = cache.find("shared");
    return std::make_pair(found.has_value() ? mark_of(found) : -1.0, offered.load());
  });
  offered = true;
  cache.offer("shared", stage_of(1, 7));
  const auto [mark, after_offer] = other.get();
  CHECK(mark == 7);  // not a miss of its own: it waited
  CHECK(after_offer);

  // A stage that failed is abandoned: the next find computes it.
  REQUIRE_FALSE(cache.find("failing"));
  cache.abandon("failing");
  auto retry = std::async(std::launch::async, [&] { return cache.find("failing").has_value(); });
  CHECK_FALSE(retry.get());
}

}  // namespace
}  // namespace rxflow

// The seal: the hash of everything a run file records but numeric values.
#include "store/metadata_tree.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

MetadataTree sample() {
  MetadataTree root;
  root.attributes = {{"run_id", "20261203-101010-abcdef"}, {"status", "complete"},
                     {"seal_sha256", "old"}};
  MetadataTree& stages = root.children["stages"];
  stages.children["embed"].attributes = {{"seconds", number_text(0.25)}};
  stages.children["embed"].children["log"].texts[""] = {"one line"};
  stages.children["report"].attributes = {{"renders", "1"}};
  root.children["stage_order"].texts[""] = {"embed", "report"};
  root.children["artifact"].texts["@columns"] = {"a", "b"};
  return root;
}

TEST_CASE("the seal changes with anything recorded, and leaves out only itself", "[store]") {
  const std::string seal = metadata_sha256(sample(), "seal_sha256");
  MetadataTree other_seal = sample();
  other_seal.attributes["seal_sha256"] = "new";
  CHECK(metadata_sha256(other_seal, "seal_sha256") == seal);

  std::vector<MetadataTree> changed(8, sample());
  changed[0].attributes["run_id"] = "20261203-101010-abcdee";
  changed[1].attributes["status"] = "failed";
  changed[2].children["stages"].children.erase("report");  // a record deleted
  changed[3].children["stages"].children["extra"];          // a record added
  changed[4].children["stage_order"].texts[""] = {"report", "embed"};
  changed[5].children["stages"].children["embed"].children["log"].texts[""] = {"another line"};
  changed[6].children["stages"].children["embed"].attributes["seconds"] = number_text(0.5);
  changed[7].children["artifact"].texts["@columns"] = {"a", "c"};
  for (std::size_t i = 0; i < changed.size(); ++i) {
    INFO(i);
    CHECK(metadata_sha256(changed[i], "seal_sha256") != seal);
  }
  // Framing: moving a character from a name to its value changes the hash.
  MetadataTree a, b;
  a.attributes = {{"ab", "c"}};
  b.attributes = {{"a", "bc"}};
  CHECK(metadata_sha256(a, "") != metadata_sha256(b, ""));
  CHECK(number_text(0.1) == "0.10000000000000001");
}

}  // namespace
}  // namespace rxflow

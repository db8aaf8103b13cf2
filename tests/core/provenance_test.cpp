// Canonical hashes: equal to an independent implementation of the
// documented byte layout, and sensitive to every part of the content.
#include "store/provenance.h"

#include <catch2/catch.hpp>

#include "reference/provenance_golden.h"

namespace rxflow {
namespace {

TEST_CASE("artifact_sha256 follows the documented byte layout", "[provenance]") {
  CHECK(artifact_sha256(Artifact::matrix(2, 2, {1.0, -0.0, 0.5, 1e300}, {"a", "b"})) ==
        golden::kTableHash);
  CHECK(artifact_sha256(Artifact::vector(std::vector<std::int64_t>{-1, 0, 9007199254740993})) ==
        golden::kIntHash);
  CHECK(artifact_sha256(Artifact::vector(std::vector<std::string>{"DrugA", "Ünïcode"})) ==
        golden::kStringHash);
  CHECK(artifact_sha256(Artifact::scalar(0.59)) == golden::kScalarHash);
  CHECK(artifact_sha256(Artifact::vector(std::vector<std::string>{})) == golden::kEmptyHash);
}

TEST_CASE("ArtifactHasher fed in pieces gives the documented hash", "[provenance]") {
  const std::vector<double> values{1.0, -0.0, 0.5, 1e300};
  ArtifactHasher table(DType::kFloat64, {2, 2}, {"a", "b"});
  table.update_fixed_width(values.data(), 1);
  table.update_fixed_width(values.data() + 1, 3);
  CHECK(table.finish() == golden::kTableHash);
  ArtifactHasher strings(DType::kString, {2}, {});
  strings.update_string("DrugA");
  strings.update_string("Ünïcode");
  CHECK(strings.finish() == golden::kStringHash);
}

TEST_CASE("artifact_sha256 changes with any part of the content", "[provenance]") {
  const Artifact base = Artifact::matrix(2, 2, {1.0, 2.0, 3.0, 4.0}, {"a", "b"});
  const std::string hash = artifact_sha256(base);
  Artifact value = base;
  std::get<std::vector<double>>(value.values)[3] = std::nextafter(4.0, 5.0);
  Artifact shape = base;
  shape.shape = {4, 1};
  shape.columns = {"a"};
  Artifact columns = base;
  columns.columns = {"a", "c"};
  Artifact dtype{{2, 2}, std::vector<std::int64_t>{1, 2, 3, 4}, {"a", "b"}};
  for (const Artifact* changed : {&value, &shape, &columns, &dtype})
    CHECK(artifact_sha256(*changed) != hash);
  // Strings are framed: ("ab", "c") and ("a", "bc") differ.
  CHECK(artifact_sha256(Artifact::vector(std::vector<std::string>{"ab", "c"})) !=
        artifact_sha256(Artifact::vector(std::vector<std::string>{"a", "bc"})));
}

TEST_CASE("stage record and root hashes cover identity, not context", "[provenance]") {
  StageRecord record;
  record.id = "cohort";
  record.plugin = "cohort_simulator";
  record.plugin_version = "0.1.0";
  record.plugin_sha256 = "ab";
  record.seed = 7;
  record.params = {{"n", "200"}, {"alpha", "0.6"}};
  record.outputs = {{"labels", DType::kInt64, {200}, "cd"}};
  const std::string hash = stage_record_sha256(record, 2);

  StageRecord context = record;
  context.seconds = 99;
  context.plugin_file = "/elsewhere.so";
  context.log = {"hello"};
  std::reverse(context.params.begin(), context.params.end());
  CHECK(stage_record_sha256(context, 2) == hash);

  StageRecord param = record;
  param.params[0].second = "201";
  StageRecord seed = record;
  seed.seed = 8;
  StageRecord library = record;
  library.plugin_sha256 = "ac";
  StageRecord output = record;
  output.outputs[0].sha256 = "ce";
  StageRecord rows = record;
  rows.rows = {"{age = 52.0}"};
  StageRecord renders = record;
  renders.renders = true;
  StageRecord kind = record;
  kind.plugin_kind = "generator";
  for (const StageRecord* changed : {&param, &seed, &library, &output, &rows, &renders, &kind})
    CHECK(stage_record_sha256(*changed, 2) != hash);
  // Format 1 had no rows and no renders flag: its hash of a record ignores them.
  CHECK(stage_record_sha256(rows, 1) == stage_record_sha256(record, 1));
  CHECK(stage_record_sha256(record, 1) != hash);

  const std::string identity = run_identity_sha256("[workflow]", "0.1.0", "abc");
  CHECK(run_root_hash(identity, {hash, "x"}) != run_root_hash(identity, {"x", hash}));
  CHECK(run_root_hash(identity, {hash}) !=
        run_root_hash(run_identity_sha256("[workflow] ", "0.1.0", "abc"), {hash}));
}

}  // namespace
}  // namespace rxflow

// The run file: every artifact type round-trips with its hash, storage
// options never change hashes, files are renamed only when finished, long
// stage lists fit, and unreadable files give clear errors.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "audit/verify.h"
#include "store/provenance.h"
#include "store/run_reader.h"
#include "store/run_writer.h"
#include "support/errors.h"
#include "test_support.h"

namespace rxflow {
namespace {

RunHeader test_header() {
  RunHeader header;
  header.run_id = "run-1";
  header.workflow_name = "demo";
  header.workflow_text = "[workflow]\nname = \"demo\"\n";
  header.resolved_workflow = "resolved";
  header.overrides = {"a.b=1"};
  header.root_seed = 18446744073709551615ULL;
  header.environment = {{"host", "test"}};
  return header;
}

StageRecord named_record(const std::string& id) {
  StageRecord record;
  record.id = id;
  record.plugin = "demo_plugin";
  record.plugin_kind = "demo";
  record.plugin_version = "1.0.0";
  record.plugin_sha256 = std::string(64, '0');
  return record;
}

std::vector<std::pair<std::string, Artifact>> every_kind_of_artifact() {
  std::vector<double> big(3000 * 7);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = 0.001 * static_cast<double>(i) - 3.0;
  return {
      {"table", Artifact::matrix(2, 3, {1.5, -0.0, 1e-308, 3.0, -4.0, 5.0}, {"x", "y", "z"})},
      {"big_table", Artifact::matrix(3000, 7, big)},
      {"ints", Artifact::vector(std::vector<std::int64_t>{-9223372036854775807LL, 0, 42})},
      {"names", Artifact::vector(std::vector<std::string>{"DrugA", "", "Ünïcode \"quoted\"\n<b>"})},
      {"no_names", Artifact::vector(std::vector<std::string>{})},
      {"empty_rows", Artifact::matrix(0, 4, {})},
      {"scalar", Artifact::scalar(0.59)},
      {"cube", Artifact{{2, 2, 2}, std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}, {}}},
  };
}

std::string write_run(const std::string& path, StoreOptions options) {
  RunWriter writer(path, test_header(), options);
  StageRecord record = named_record("stage");
  record.status = "complete";
  const auto artifacts = every_kind_of_artifact();
  for (const auto& [name, artifact] : artifacts) {
    record.outputs.push_back({name, artifact.dtype(), artifact.shape, artifact_sha256(artifact)});
  }
  writer.write_stage(record, artifacts, stage_record_sha256(record, kRunFormatVersion));
  return writer.finish_complete(RunEnding{"", 1.0, 0.5, "root", "", ""});
}

TEST_CASE("every artifact type round-trips through the run file with its hash", "[store]") {
  testing::TempDir dir;
  const std::string path = write_run(dir.file("run-1.h5"), StoreOptions{});
  CHECK(path == dir.file("run-1.h5"));
  CHECK_FALSE(std::filesystem::exists(dir.file(".run-1.h5.partial")));
  const RunReader reader(path);
  CHECK(reader.attribute("status") == "complete");
  CHECK(reader.attribute("root_seed") == "18446744073709551615");
  CHECK(reader.overrides() == std::vector<std::string>{"a.b=1"});
  CHECK(reader.workflow_text() == test_header().workflow_text);
  const std::vector<StoredStage> stages = reader.stages();
  REQUIRE(stages.size() == 1);
  CHECK(stages[0].record.outputs.size() == every_kind_of_artifact().size());
  for (const auto& [name, artifact] : every_kind_of_artifact()) {
    INFO(name);
    const Artifact back = reader.read_artifact("stage", name);
    CHECK(back.shape == artifact.shape);
    CHECK(back.values == artifact.values);
    CHECK(back.columns == artifact.columns);
    CHECK(artifact_sha256(back) == artifact_sha256(artifact));
  }
}

TEST_CASE("a record's parameters, origins, inputs and files read back, short and long", "[store]") {
  testing::TempDir dir;
  RunWriter writer(dir.file("named.h5"), test_header(), StoreOptions{});
  StageRecord few = named_record("few");
  few.status = "complete";
  few.params = {{"n", "200"}, {"name", "\"a = b\""}};  // " = " inside a value
  few.param_origins = {{"n", "default"}, {"name", "w.toml:3:1"}};
  few.inputs = {{"embeddings", "embed.embeddings"}};
  few.input_hashes = {{"embeddings", std::string(64, 'e')}};
  StageRecord many = named_record("many");  // past what an attribute holds: a dataset
  many.status = "complete";
  for (int i = 0; i < 400; ++i) {
    many.params.emplace_back("p" + std::to_string(i), "\"" + std::string(60, 'x') + "\"");
  }
  for (const StageRecord* record : {&few, &many}) {
    writer.write_stage(*record, {}, stage_record_sha256(*record, kRunFormatVersion));
  }
  const RunReader reader(writer.finish_complete(RunEnding{"", 1.0, 0.5, "root", "", ""}));
  const std::vector<StoredStage> stages = reader.stages();
  REQUIRE(stages.size() == 2);
  CHECK(stages[0].record.params == few.params);
  CHECK(stages[0].record.param_origins == few.param_origins);
  CHECK(stages[0].record.inputs == few.inputs);
  CHECK(stages[0].record.input_hashes == few.input_hashes);
  CHECK(stages[0].record.files.empty());
  CHECK(stages[1].record.params == many.params);
}

TEST_CASE("compression and chunking change the file, not the hashes", "[store]") {
  testing::TempDir dir;
  const std::string plain = write_run(dir.file("plain.h5"), StoreOptions{0, 1 << 20});
  const std::string small_chunks = write_run(dir.file("chunked.h5"), StoreOptions{6, 4096});
  const std::string large_chunks = write_run(dir.file("large.h5"), StoreOptions{1, 1 << 22});
  CHECK(testing::read_text(plain) != testing::read_text(small_chunks));
  const RunReader a(plain), b(small_chunks), c(large_chunks);
  for (const auto& [name, artifact] : every_kind_of_artifact()) {
    INFO(name);
    const std::string expected = artifact_sha256(a.read_artifact("stage", name));
    CHECK(artifact_sha256(b.read_artifact("stage", name)) == expected);
    CHECK(artifact_sha256(c.read_artifact("stage", name)) == expected);
  }
}

TEST_CASE("a failed run is kept as a file marked failed, never as a complete one", "[store]") {
  testing::TempDir dir;
  std::string path;
  {
    RunWriter writer(dir.file("run-2.h5"), test_header(), StoreOptions{});
    StageRecord record = named_record("broken");
    record.status = "failed";
    record.error = "deliberate";
    writer.write_stage(record, {}, stage_record_sha256(record, kRunFormatVersion));
    path = writer.finish_failed(RunEnding{"", 1.0, 0.1, "", "broken", "stage broken failed"});
  }
  CHECK(path == dir.file("run-2.failed.h5"));
  CHECK_FALSE(std::filesystem::exists(dir.file("run-2.h5")));
  const RunReader reader(path);
  CHECK(reader.attribute("status") == "failed");
  CHECK(reader.attribute("failed_stage") == "broken");
  CHECK(reader.attribute("root_hash").empty());
  CHECK(reader.stages().at(0).record.error == "deliberate");
}

TEST_CASE("a writer that never finishes leaves only its partial file", "[store]") {
  testing::TempDir dir;
  { RunWriter writer(dir.file("run-3.h5"), test_header(), StoreOptions{}); }
  CHECK_FALSE(std::filesystem::exists(dir.file("run-3.h5")));
  CHECK(std::filesystem::exists(dir.file(".run-3.h5.partial")));
  // A reader of the partial file sees it as still running, not complete.
  CHECK(RunReader(dir.file(".run-3.h5.partial")).attribute("status") == "running");
}

TEST_CASE("unreadable run files give a clear InputError", "[store]") {
  testing::TempDir dir;
  const std::string complete = write_run(dir.file("good.h5"), StoreOptions{});
  const std::string bytes = testing::read_text(complete);
  const std::string truncated = dir.write("truncated.h5", bytes.substr(0, bytes.size() / 3));
  const std::string text = dir.write("text.h5", "not hdf5 at all");
  const std::string empty = dir.write("empty.h5", "");
  CHECK_THROWS_WITH(RunReader(dir.file("missing.h5")),
                    Catch::Matchers::EndsWith("missing.h5: no such run file"));
  CHECK_THROWS_WITH(RunReader(text), Catch::Matchers::Contains("text.h5: not an HDF5 file"));
  CHECK_THROWS_WITH(RunReader(empty), Catch::Matchers::Contains("empty.h5: an empty file"));
  CHECK_THROWS_AS(RunReader(truncated), InputError);
}

TEST_CASE("value rows cover every value once, in order, and rehash to the recorded hash",
          "[store]") {
  testing::TempDir dir;
  for (const int level : {0, 6}) {
    INFO("deflate level " << level);
    StoreOptions options;
    options.deflate_level = level;
    options.chunk_bytes = 1000;  // many chunks, none aligned with the blocks
    const RunReader reader(write_run(dir.file("blocks-" + std::to_string(level) + ".h5"), options));
    for (const auto& [name, artifact] : every_kind_of_artifact()) {
      INFO(name);
      CHECK(stored_artifact_sha256(reader, "stage", name) == artifact_sha256(artifact));
      if (artifact.dtype() == DType::kString) continue;
      const ValueRows rows = reader.value_rows("stage", name);
      std::vector<std::uint64_t> seen;
      for (std::uint64_t first = 0; first < rows.rows(); first += 3) {
        const std::uint64_t count = std::min<std::uint64_t>(3, rows.rows() - first);
        std::vector<std::uint64_t> block(count * rows.row_values());
        rows.read(first, count, block.data());
        seen.insert(seen.end(), block.begin(), block.end());
      }
      std::vector<std::uint64_t> expected(artifact.element_count());
      std::visit(
          [&](const auto& values) {
            if constexpr (!std::is_same_v<typename std::decay_t<decltype(values)>::value_type,
                                          std::string>) {
              if (!values.empty()) std::memcpy(expected.data(), values.data(), 8 * values.size());
            }
          },
          artifact.values);
      CHECK(seen == expected);
    }
  }
}

TEST_CASE("thousands of stages and wide tables fit: long lists are datasets", "[store]") {
  // HDF5 attributes stop near 64 KiB in the old format; the stage order of
  // 5,000 stages and the names of 10,000 columns are well past that.
  testing::TempDir dir;
  RunWriter writer(dir.file("long.h5"), test_header(), StoreOptions{});
  std::vector<std::string> columns;
  for (int c = 0; c < 10000; ++c) columns.push_back("column_" + std::to_string(c));
  const Artifact wide =
      Artifact::matrix(1, columns.size(), std::vector<double>(columns.size(), 1.0), columns);
  for (int i = 0; i < 5000; ++i) {
    StageRecord record = named_record("stage_" + std::to_string(i));
    record.status = "complete";
    std::vector<std::pair<std::string, Artifact>> outputs;
    if (i == 0) {
      outputs.emplace_back("wide", wide);
      record.outputs.push_back({"wide", DType::kFloat64, wide.shape, artifact_sha256(wide)});
    }
    writer.write_stage(record, outputs, stage_record_sha256(record, kRunFormatVersion));
  }
  const RunReader reader(writer.finish_complete(RunEnding{"", 1.0, 0.5, "root", "", ""}));
  const std::vector<std::string> order = reader.stage_order();
  REQUIRE(order.size() == 5000);
  CHECK(order.back() == "stage_4999");
  CHECK(reader.read_artifact("stage_0", "wide").columns == columns);
}

}  // namespace
}  // namespace rxflow

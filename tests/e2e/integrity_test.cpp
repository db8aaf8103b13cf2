// The audit promise against a hostile user (issue "audit integrity"): a
// file made incomplete or changed never verifies, replay and diff look at
// the stored values, and damaged or crafted files give one line and an exit
// code, never a crash, a hang or a write outside the folder asked for.
// Hostile files are made here with HDF5's C API.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <regex>

#include "exec/executor.h"
#include "plan/plan.h"
#include "store/run_reader.h"
#include "store/run_writer.h"
#include "support/install_paths.h"
#include "support/text_escaping.h"
#include "test_support.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using testing::copy_of;
using testing::first_line;
using testing::run_into;
using testing::run_rxflow;

// Opens a run file for changing it, as an attacker with h5py would.
class Editable {
 public:
  explicit Editable(const std::string& path)
      : file_(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)) {
    REQUIRE(file_ >= 0);
  }
  ~Editable() { H5Fclose(file_); }
  hid_t id() const { return file_; }

  void remove(const std::string& path) {
    REQUIRE(H5Ldelete(file_, path.c_str(), H5P_DEFAULT) >= 0);
  }
  void move(const std::string& from, const std::string& to) {
    REQUIRE(H5Lmove(file_, from.c_str(), file_, to.c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0);
  }
  void set_text(const std::string& object, const std::string& name, const std::string& value) {
    const hid_t target = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    REQUIRE(target >= 0);
    if (H5Aexists(target, name.c_str()) > 0) H5Adelete(target, name.c_str());
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, std::max<std::size_t>(value.size(), 1));
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(target, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    std::string padded = value;
    padded.resize(std::max<std::size_t>(value.size(), 1), '\0');
    REQUIRE(H5Awrite(attribute, type, padded.data()) >= 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    H5Oclose(target);
  }
  // Sets (or with nullopt removes) one "name = value" line of a stage's list.
  void set_line(const std::string& stage, const std::string& list, const std::string& name,
                const std::optional<std::string>& value) {
    testing::set_named_line(file_, "/stages/" + stage, list, name, value);
  }
  void set_u64(const std::string& object, const std::string& name, std::uint64_t value) {
    const hid_t target = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    const hid_t attribute = H5Aopen(target, name.c_str(), H5P_DEFAULT);
    REQUIRE(H5Awrite(attribute, H5T_NATIVE_UINT64, &value) >= 0);
    H5Aclose(attribute);
    H5Oclose(target);
  }
  void remove_attribute(const std::string& object, const std::string& name) {
    const hid_t target = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    REQUIRE(H5Adelete(target, name.c_str()) >= 0);
    H5Oclose(target);
  }
  // Replaces a string list dataset.
  void set_texts(const std::string& path, const std::vector<std::string>& values) {
    if (H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0) remove(path);
    std::size_t width = 1;
    for (const std::string& value : values) width = std::max(width, value.size());
    std::string bytes(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(bytes.data() + i * width, width);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    const hsize_t count = values.size();
    const hid_t space = H5Screate_simple(1, &count, nullptr);
    const hid_t dataset =
        H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (count > 0)
      REQUIRE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Tclose(type);
  }
  // Adds delta to one float64 value, leaving every recorded hash as it was.
  void nudge(const std::string& path, hsize_t index, double delta) {
    const hid_t dataset = H5Dopen2(file_, path.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(dataset);
    std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    REQUIRE(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    values.at(index) += delta;
    REQUIRE(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >=
            0);
    H5Sclose(space);
    H5Dclose(dataset);
  }
  // A dataset in an artifact's place (its recorded hash kept) of the given type and space.
  void craft_artifact(const std::string& path, hid_t type, hid_t space,
                      hid_t properties = H5P_DEFAULT) {
    if (H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0) remove(path);
    const hid_t dataset =
        H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, properties, H5P_DEFAULT);
    REQUIRE(dataset >= 0);
    H5Dclose(dataset);
  }

 private:
  hid_t file_;
};

struct Expect {
  int exit_code;
  std::string message;  // in stdout for a verify mismatch, in the one stderr line otherwise
};

void check_result(const testing::CommandResult& result, const Expect& expect) {
  CHECK(result.exit_code == expect.exit_code);
  if (expect.exit_code == 2) {
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK_THAT(result.err, Contains(expect.message));
    CHECK(result.err.find("HDF5-DIAG") == std::string::npos);
  } else {
    CHECK_THAT(result.out + result.err, Contains(expect.message));
  }
}

TEST_CASE("verify proves a file complete against its own resolved plan", "[e2e][integrity]") {
  testing::TempDir out, copies;
  const std::string original = run_into(out, "workflows/smoke.toml");
  struct Tamper {
    std::string name;
    std::function<void(Editable&)> change;
    std::vector<std::string> expected;
  };
  const std::vector<Tamper> tampers{
      {"a stage record deleted",
       [](Editable& f) { f.remove("/stages/cohort"); },
       {"stage cohort: in the order, but its record is missing"}},
      {"a record deleted from the order as well",
       [](Editable& f) {
         f.remove("/stages/cohort");
         f.set_texts("/stage_order", {"requests", "embed"});
       },
       {"the recorded stages (requests, embed) are not the resolved workflow's stages in run order "
        "(requests, embed, cohort)",
        "seal:"}},
      {"an extra stage not in the order",
       [](Editable& f) {
         H5Gclose(H5Gcreate2(f.id(), "/stages/extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
       },
       {"stage extra: a record that is not in the recorded stage order"}},
      {"no stage records at all",
       [](Editable& f) {
         for (const char* stage : {"requests", "embed", "cohort"})
           f.remove(std::string("/stages/") + stage);
         f.set_texts("/stage_order", {});
       },
       {"the file records no stage order", "seal:"}},
      {"the order changed",
       [](Editable& f) {
         f.set_texts("/stage_order", {"embed", "requests", "cohort"});
       },
       {"are not the resolved workflow's stages in run order"}},
      {"the run id",
       [](Editable& f) { f.set_text("/", "run_id", "20260101-000000-000000"); },
       {"seal: what the file records"}},
      {"the overrides",
       [](Editable& f) { f.set_texts("/workflow/overrides", {"cohort.n=1"}); },
       {"seal:"}},
      {"the status",
       [](Editable& f) { f.set_text("/", "status", "failed"); },
       {"stage cohort: status \"complete\", expected \"failed\" in a failed run", "seal:"}},
      {"a stage's status",
       [](Editable& f) { f.set_line("embed", "record", "status", "failed"); },
       {"stage embed: status \"failed\", expected \"complete\"", "seal:"}},
      {"a log line, which is context",
       [](Editable& f) { f.set_texts("/stages/cohort/log", {"all fine"}); },
       {"seal:"}},
      {"the format version",
       [](Editable& f) { f.set_u64("/", "format_version", 1); },
       {"the file records no stage order"}},
      {"a record's renders flag",
       [](Editable& f) { f.set_line("cohort", "record", "renders", "1"); },
       {"stage cohort: its record"}},
  };
  int index = 0;
  for (const Tamper& tamper : tampers) {
    INFO(tamper.name);
    const std::string copy = copy_of(original, copies, std::to_string(index++) + ".h5");
    {
      Editable file(copy);
      tamper.change(file);
    }
    const auto verify = run_rxflow("verify " + copy);
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.out, Contains("FAILED"));
    for (const std::string& expected : tamper.expected) CHECK_THAT(verify.out, Contains(expected));
    // replay refuses whatever does not verify (format 1 files, for their format).
    const auto replay = run_rxflow("replay " + copy + " --quiet --out " + copies.file("replays"));
    CHECK(replay.exit_code != 0);
    CHECK_THAT(replay.err, Contains("replay refused: the file does not verify") ||
                               Contains("format version 1 cannot be replayed"));
    CHECK(replay.out.empty());
  }
  CHECK_FALSE(fs::exists(copies.file("replays")));
  const std::string newer = copy_of(original, copies, "newer.h5");
  Editable(newer).set_u64("/", "format_version", 5);
  check_result(run_rxflow("verify " + newer),
               {2, "run-file format version 5, this rxflow reads versions 1 to 4"});
  CHECK(run_rxflow("verify " + original).exit_code == 0);
}

TEST_CASE("replay and diff look at the stored values, not the recorded hashes",
          "[e2e][integrity]") {
  testing::TempDir out, copies;
  const std::string original = run_into(out, "workflows/smoke.toml");
  const std::string changed = copy_of(original, copies, "changed.h5");
  Editable(changed).nudge("/stages/cohort/artifacts/features", 17, 0.25);

  const auto replay = run_rxflow("replay " + changed + " --out " + copies.file("replays"));
  CHECK(replay.exit_code == 1);
  CHECK_THAT(replay.err, Contains("replay refused: the file does not verify (1 problem; first: "
                                  "artifact cohort.features: its values hash to"));
  CHECK(replay.out.empty());

  const auto diff = run_rxflow("diff " + original + " " + changed);
  CHECK(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("different  cohort.features: max |diff| 0.25, 1 of 1400 values"));
  CHECK_THAT(diff.out, Contains("B: artifact cohort.features: its stored values do not match its "
                                "recorded hash"));
  const auto json = run_rxflow("diff --json " + original + " " + changed);
  CHECK_THAT(json.out, Contains("\"result\": \"different\""));
}

TEST_CASE("damaged and crafted run files give one line and exit 2, never a crash or a hang",
          "[e2e][integrity]") {
  testing::TempDir out, dir;
  const std::string good = run_into(out, "workflows/smoke.toml");
  const std::string compressed = run_into(out, "workflows/smoke.toml --compress 6");
  const std::string damaged_chunk = copy_of(compressed, dir, "chunk.h5");
  // One chunk of a compressed dataset overwritten: Fletcher-32 or gzip refuse it.
  haddr_t address = 0;
  hsize_t size = 0;
  {
    Editable file(damaged_chunk);
    const hid_t dataset = H5Dopen2(file.id(), "/stages/cohort/artifacts/features", H5P_DEFAULT);
    const hid_t space = H5Dget_space(dataset);
    unsigned mask = 0;
    hsize_t offset[2] = {0, 0};
    REQUIRE(H5Dget_chunk_info(dataset, space, 0, offset, &mask, &address, &size) >= 0);
    H5Sclose(space);
    H5Dclose(dataset);
  }
  {
    std::FILE* raw = std::fopen(damaged_chunk.c_str(), "r+b");
    REQUIRE(raw != nullptr);
    std::fseek(raw, static_cast<long>(address + size / 2), SEEK_SET);
    const char junk[16] = "garbage-garbage";
    std::fwrite(junk, 1, sizeof junk, raw);
    std::fclose(raw);
  }
  const auto verify_chunk = run_rxflow("verify " + damaged_chunk);
  CHECK(verify_chunk.exit_code == 1);
  CHECK_THAT(verify_chunk.out, Contains("artifact cohort.features: cannot be read"));

  auto crafted = [&](const std::string& name, const std::function<void(Editable&)>& change) {
    const std::string copy = copy_of(good, dir, name);
    Editable file(copy);
    change(file);
    return copy;
  };
  const hsize_t huge[1] = {hsize_t{1} << 40};
  const std::string vast = crafted("vast.h5", [&](Editable& f) {
    const hid_t space = H5Screate_simple(1, huge, nullptr);
    const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
    const hsize_t chunk[1] = {1024};
    H5Pset_chunk(properties, 1, chunk);
    f.craft_artifact("/stages/cohort/artifacts/s", H5T_IEEE_F64LE, space, properties);
    H5Pclose(properties);
    H5Sclose(space);
  });
  const std::string null_space = crafted("null.h5", [&](Editable& f) {
    const hid_t space = H5Screate(H5S_NULL);
    f.craft_artifact("/stages/cohort/artifacts/s", H5T_IEEE_F64LE, space);
    H5Sclose(space);
  });
  const std::string float32 = crafted("float32.h5", [&](Editable& f) {
    const hsize_t n[1] = {3};
    const hid_t space = H5Screate_simple(1, n, nullptr);
    f.craft_artifact("/stages/cohort/artifacts/s", H5T_IEEE_F32LE, space);
    const hid_t dataset = H5Dopen2(f.id(), "/stages/cohort/artifacts/s", H5P_DEFAULT);
    const float values[3] = {1, 2, 3};
    H5Dwrite(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    H5Dclose(dataset);
    H5Sclose(space);
  });
  const std::string climbing = crafted("climbing.h5", [&](Editable& f) {
    f.move("/stages/cohort", "/stages/..");
    f.set_texts("/stage_order", {"requests", "embed", ".."});
  });
  // Found by fuzz_run_file: a stage name holding a line break, quoted in the message.
  const std::string line_break = crafted("linebreak.h5", [&](Editable& f) {
    f.move("/stages/cohort", "/stages/co\nhort");
    f.set_texts("/stage_order", {"requests", "embed", "co\nhort"});
  });
  const std::string no_seed = crafted(
      "noseed.h5", [&](Editable& f) { f.set_line("cohort", "record", "seed", std::nullopt); });
  const std::string seed_text = crafted(
      "seedtext.h5", [&](Editable& f) { f.set_line("cohort", "record", "seed", "twelve"); });
  const std::string twice = crafted("twice.h5", [&](Editable& f) {
    testing::set_text_list_attribute(f.id(), "/stages/cohort", "record",
                                     {"plugin = cohort_simulator", "plugin = other"});
  });
  const std::string unhashed = crafted("unhashed.h5", [&](Editable& f) {
    f.set_line("cohort", "artifact_sha256", "labels", std::nullopt);
  });
  const std::string extra_hash = crafted("extrahash.h5", [&](Editable& f) {
    f.set_line("cohort", "artifact_sha256", "ghost", std::string(64, '0'));
  });
  // Format 2 named each artifact's dtype in an attribute, which must match.
  const std::string format2_dtype =
      copy_of(RXFLOW_SOURCE_DIR "/tests/fixtures/format2_smoke.h5", dir, "format2.h5");
  Editable(format2_dtype).set_text("/stages/cohort/artifacts/s", "dtype", "int64");
  const std::string zero = dir.write("zero.h5", "");
  const std::string heap = RXFLOW_SOURCE_DIR "/tests/fixtures/format1_heap_damaged.h5";
  const std::string truncated = copy_of(good, dir, "truncated.h5");
  fs::resize_file(truncated, fs::file_size(truncated) / 2);

  struct Case {
    std::string file;
    std::string message;
  };
  const std::vector<Case> cases{
      {vast, "/stages/cohort/artifacts/s: expected at most 2^28 values, found 1099511627776"},
      {null_space, "/stages/cohort/artifacts/s: expected values, found a null dataspace"},
      {float32,
       "/stages/cohort/artifacts/s: expected float64, int64 or string elements, found another "
       "type (4 bytes)"},
      {format2_dtype,
       "/stages/cohort/artifacts/s: dtype says int64 but the dataset holds elements of another "
       "type or size (8 bytes)"},
      {climbing, "stage \"..\" is not an identifier"},
      {line_break, "stage \"co\\nhort\" is not an identifier"},
      {no_seed, "/stages/cohort: record: expected the field seed, found none"},
      {seed_text, "/stages/cohort: record: seed must be an unsigned integer, found \"twelve\""},
      {twice, "/stages/cohort: record: the field plugin is given twice"},
      {unhashed,
       "/stages/cohort: artifact_sha256: expected the hash of artifact labels, found none"},
      {extra_hash,
       "/stages/cohort: artifact_sha256: lists artifact ghost, which the stage does not hold"},
      {zero, "zero.h5: an empty file"},
      {heap, "reading it crashed the HDF5 library (signal 11"},
      {truncated, "truncated.h5: the HDF5 file cannot be opened, it is truncated or corrupt"},
  };
  for (const Case& c : cases) {
    for (const std::string& command :
         {"show " + c.file, "export " + c.file + " --to " + dir.file("x"),
          "diff " + c.file + " " + good}) {
      INFO(command);
      check_result(run_rxflow(command), {2, c.message});
    }
    // verify and replay name the problem; a file they can open at all is a
    // mismatch (1), and replay never runs anything for it.
    for (const std::string& command :
         {"verify " + c.file, "replay " + c.file + " --out " + dir.file("r")}) {
      INFO(command);
      const auto result = run_rxflow(command);
      CHECK((result.exit_code == 1 || result.exit_code == 2));
      CHECK_THAT(result.out + result.err,
                 Contains(c.message) || Contains("format version 1 cannot be replayed"));
      CHECK(result.err.find("HDF5-DIAG") == std::string::npos);
    }
  }
  CHECK_FALSE(fs::exists(dir.file("x")));
  CHECK_FALSE(fs::exists(dir.file("r")));
  CHECK_FALSE(fs::exists(dir.path() + "/../cohort"));

  // One damaged file does not stop log from listing the others.
  testing::TempDir folder;
  for (const Case& c : cases) copy_of(c.file, folder, fs::path(c.file).filename().string());
  copy_of(good, folder, "good.h5");
  const auto log = run_rxflow("log " + folder.path());
  CHECK(log.exit_code == 0);
  // A header line, one line per case and good.h5.
  CHECK(std::count(log.out.begin(), log.out.end(), '\n') ==
        static_cast<std::ptrdiff_t>(1 + cases.size() + 1));
  CHECK(std::regex_search(log.out, std::regex(" complete .*good\\.h5")));
  CHECK(std::regex_search(log.out, std::regex(" corrupt .*format1_heap_damaged\\.h5  \\(reading it "
                                              "crashed the HDF5 library")));
}

// Records, while a run goes on, what can be seen of it on disk.
class Watcher final : public RunObserver {
 public:
  explicit Watcher(std::string workflow_dir) : workflow_dir_(std::move(workflow_dir)) {}
  void run_started(const RunStarted& event) override { run_id_ = event.run_id; }
  void stage_finished(const StageFinished& event) override {
    if (event.stage != "report") return;
    final_file_seen = fs::exists(workflow_dir_ + "/" + run_id_ + ".h5");
    final_folder_seen = fs::exists(workflow_dir_ + "/" + run_id_);
    partial_seen = fs::exists(workflow_dir_ + "/." + run_id_ + ".h5.partial");
  }
  bool final_file_seen = true, final_folder_seen = true, partial_seen = false;

 private:
  std::string workflow_dir_;
  std::string run_id_;
};

TEST_CASE("the report appears only once its run file is complete", "[e2e][integrity]") {
  testing::TempDir out;
  PluginLoader loader({builtin_plugin_dir()});
  const Plan plan = make_plan(parse_spec_file(RXFLOW_SOURCE_DIR "/workflows/case_study.toml"),
                              loader, PlanOptions{std::nullopt, {builtin_data_dir()}});
  InProcessStageRunner runner;
  Watcher watcher(out.path() + "/case_study");
  const RunOutcome outcome =
      execute_plan(plan, RunOptions{out.path(), {}, {}, nullptr}, runner, watcher);
  REQUIRE(outcome.ok);
  CHECK(watcher.partial_seen);
  CHECK_FALSE(watcher.final_file_seen);
  CHECK_FALSE(watcher.final_folder_seen);
  CHECK(fs::exists(outcome.run_file.substr(0, outcome.run_file.size() - 3) + "/report.html"));
}

TEST_CASE("a full disk ends the run with one line, no crash, no complete-looking file",
          "[e2e][integrity]") {
  testing::TempDir out;
  // A file-size limit makes every write past 64 KiB fail as a full disk does
  // (SIGXFSZ ignored: write() returns EFBIG instead).
  const auto run = run_rxflow("run workflows/case_study.toml --out " + out.path(), "",
                              "trap '' XFSZ; ulimit -f 64;");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("cannot write the run file") && Contains("File too large") &&
                          Contains("the partial file was removed"));
  CHECK(run.err.find("rxflow:") == run.err.rfind("rxflow:"));  // one error line
  CHECK(run.err.find("Segmentation") == std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(out.path())) {
    INFO(entry.path());
    CHECK_FALSE(entry.path().string().ends_with(".h5"));
  }
}

TEST_CASE("thousands of stages are recorded and verify", "[e2e][integrity]") {
  testing::TempDir dir;
  std::string text = "[workflow]\nname = \"many\"\nseed = 1\n";
  for (int i = 0; i < 4500; ++i) {
    text += "\n[[stage]]\nid = \"tally_" + std::to_string(i) + "\"\nplugin = \"tally\"\n";
  }
  const std::string workflow = dir.write("many.toml", text);
  const auto run = run_rxflow(
      "run " + workflow + " --quiet --plugin-path " RXFLOW_TEST_PLUGIN_DIR " --out " + dir.path());
  REQUIRE(run.exit_code == 0);
  const std::string file = first_line(run.out);
  CHECK(RunReader(file).stage_order().size() == 4500);
  const auto verify = run_rxflow("verify " + file);
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.out, Contains("and 4500 stage records rehashed"));
}

TEST_CASE("a plugin that throws something else fails its stage like any error",
          "[e2e][integrity]") {
  testing::TempDir dir;
  const std::string workflow =
      dir.write("t.toml",
                "[workflow]\nname = \"t\"\nseed = 1\n\n[[stage]]\nid = \"t\"\nplugin = \"tally\"\n"
                "[stage.params]\nthrow_in = \"run\"\nthrow_what = \"int\"\n");
  const auto run = run_rxflow("run " + workflow +
                              " --plugin-path " RXFLOW_TEST_PLUGIN_DIR " --out " + dir.path());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("stage \"t\" (plugin tally) failed: the plugin threw something "
                               "that is not a std::exception"));
  const auto validate = run_rxflow("validate " + workflow +
                                   " --set t.throw_in=check --plugin-path " RXFLOW_TEST_PLUGIN_DIR);
  check_result(validate, {2, "stage \"t\" (plugin tally): the plugin's check threw something"});
}

TEST_CASE("log tells a run being written from one that was interrupted", "[e2e][integrity]") {
  testing::TempDir out;
  RunHeader header;
  header.run_id = "20260101-000000-aaaaaa";
  header.workflow_name = "live";
  RunWriter writer(out.file("live/20260101-000000-aaaaaa.h5"), header, StoreOptions{});
  const auto log = run_rxflow("log " + out.path());
  CHECK(log.exit_code == 0);
  CHECK(
      std::regex_search(log.out, std::regex(" running .*\\.20260101-000000-aaaaaa\\.h5\\.partial  "
                                            "\\(another rxflow is writing it\\)")));
}

}  // namespace
}  // namespace rxflow

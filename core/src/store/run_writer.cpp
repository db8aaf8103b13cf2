#include "store/run_writer.h"

#include <chrono>
#include <filesystem>
#include <optional>

#include "store/hdf5_io.h"
#include "support/errors.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// Adds the time of its scope to a counter: the store's share of a run.
class ScopeTimer {
 public:
  explicit ScopeTimer(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~ScopeTimer() {
    total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  double& total_;
  std::chrono::steady_clock::time_point start_;
};

// An HDF5 object being written and its node in the writer's metadata tree:
// every write goes to both, so the tree is what the file holds.
struct Place {
  hid_t id;
  MetadataTree& node;
  std::string where;
  h5::TypeCache* types;

  void text(const std::string& name, const std::string& value) const {
    h5::put_attribute(id, name, value, where, types);
    node.attributes[name] = value;
  }
  void number(const std::string& name, std::uint64_t value) const {
    h5::put_attribute(id, name, value, where, types);
    node.attributes[name] = std::to_string(value);
  }
  void number(const std::string& name, double value) const {
    h5::put_attribute(id, name, value, where, types);
    node.attributes[name] = number_text(value);
  }
  void list(const std::string& name, const std::vector<std::string>& values) const {
    h5::put_attribute(id, name, values, where, types);
    node.texts["@" + name] = values;
  }
  void text_dataset(const std::string& name, const std::string& value) const {
    h5::put_text_dataset(id, name, value, where, types);
    node.children[name].texts[""] = {value};
  }
  void list_dataset(const std::string& name, const std::vector<std::string>& values) const {
    h5::put_text_list_dataset(id, name, values, where, types);
    node.children[name].texts[""] = values;
  }
  // A child group, created when absent.
  std::pair<h5::Hid, Place> group(const std::string& name) const {
    h5::Hid child = h5::has_link(id, name) ? h5::open_group(id, name, where)
                                           : h5::create_group(id, name, where, types);
    const hid_t child_id = child.get();
    return {std::move(child), Place{child_id, node.children[name], where + "/" + name, types}};
  }
  // Named texts as a list of "name = value" lines (formats 3 and 4): an
  // attribute, or a dataset when long (attributes stay small); none when
  // empty. One list costs the store far less than an attribute a name.
  void named_lines(const std::string& name, const NamedText& items) const {
    if (items.empty()) return;
    std::vector<std::string> lines;
    std::size_t widest = 0;
    for (const auto& [key, value] : items) {
      lines.push_back(key + " = " + value);
      widest = std::max(widest, lines.back().size());
    }
    constexpr std::size_t kAttributeBytes = 16 * 1024;
    if (lines.size() * widest <= kAttributeBytes) {
      list(name, lines);
    } else {
      list_dataset(name, lines);
    }
  }
};

}  // namespace

struct RunWriter::File {
  h5::Hid h5;
  // The stage being written, kept open from its first artifact to its
  // record (opening three groups per artifact costs more than writing it).
  std::string stage;
  h5::Hid stages_group, stage_group, artifacts_group;
  std::optional<Place> stage_place, artifacts_place;
  h5::TypeCache types;

  void close_stage() {
    artifacts_place.reset();
    stage_place.reset();
    artifacts_group.close();
    stage_group.close();
    stages_group.close();
    stage.clear();
  }
  void close() {
    close_stage();
    h5.close();
  }
  void open_stage(MetadataTree& tree, const std::string& where, const std::string& id) {
    if (stage == id && stage_place) return;
    close_stage();
    const Place root{h5.get(), tree, where, &types};
    auto [stages_id, stages] = root.group("stages");
    auto [stage_id, stage_group_place] = stages.group(id);
    auto [artifacts_id, artifacts] = stage_group_place.group("artifacts");
    stages_group = std::move(stages_id);
    stage_group = std::move(stage_id);
    artifacts_group = std::move(artifacts_id);
    stage_place.emplace(stage_group_place);
    artifacts_place.emplace(artifacts);
    stage = id;
  }
};

template <typename Body>
void RunWriter::write(const std::string& what, Body body) {
  const h5::Guard guard;
  const ScopeTimer timer(seconds_spent_);  // the store's work, not its wait for the lock
  try {
    body();
  } catch (const std::exception& error) {
    file_->close();
    std::error_code ignored;
    fs::remove(temp_path_, ignored);
    std::string reason = error.what();
    if (reason.starts_with(temp_path_ + ": ")) reason.erase(0, temp_path_.size() + 2);
    throw StoreError(temp_path_ + ": cannot write the run file, " + what + " (" + reason +
                     "); the partial file was removed");
  }
}

RunWriter::RunWriter(const std::string& final_path, const RunHeader& header, StoreOptions options)
    : file_(std::make_unique<File>()), header_(header), final_path_(final_path), options_(options) {
  const fs::path target(final_path);
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (error) {
    throw InputError(target.parent_path().string() + ": cannot create the results folder (" +
                     error.message() + ")");
  }
  temp_path_ = (target.parent_path() / ("." + target.filename().string() + ".partial")).string();
  const h5::Guard guard;
  const ScopeTimer timer(seconds_spent_);  // the store's work, not its wait for the lock
  try {
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, temp_path_);
    // The 1.8 format checksums the superblock and object headers, so damaged
    // metadata is reported instead of parsed; locking (where the file system
    // has it) tells `rxflow log` that the file is being written.
    if (H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0 ||
        H5Pset_file_locking(access.get(), true, true) < 0) {
      h5::fail(temp_path_ + ": file access properties");
    }
    h5::Hid creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose, temp_path_);
    h5::keep_compact(creation.get(), temp_path_);
    file_->h5 = h5::Hid(H5Fcreate(temp_path_.c_str(), H5F_ACC_EXCL, creation.get(), access.get()),
                        H5Fclose, temp_path_);
  } catch (const std::exception& thrown) {
    throw InputError(temp_path_ + ": cannot create the run file (" + thrown.what() + ")");
  }
  write("the header", [&] {
    const Place root{file_->h5.get(), tree_, temp_path_ + ": ", &file_->types};
    root.text("format", kRunFormat);
    root.number("format_version", kRunFormatVersion);
    root.text("status", "running");
    root.text("run_id", header.run_id);
    root.text("workflow", header.workflow_name);
    root.number("root_seed", header.root_seed);
    root.text("root_seed_source", header.seed_was_drawn ? "drawn" : "given");
    root.text("identity_sha256", header.identity_sha256);
    root.text("engine_version", header.engine_version);
    root.text("git_commit", header.git_commit);
    root.text("started_at", header.started_at);
    if (!header.replay_of.run_id.empty()) {
      root.text("replay_of", header.replay_of.run_id);
      root.text("replay_of_root_hash", header.replay_of.root_hash);
      root.list_dataset("drift", header.replay_of.drift);
    }
    const auto [workflow_id, workflow] = root.group("workflow");
    workflow.text("path", header.workflow_path);
    workflow.text_dataset("source", header.workflow_text);
    workflow.text_dataset("resolved", header.resolved_workflow);
    workflow.list_dataset("overrides", header.overrides);
    root.named_lines("environment", header.environment);
    root.named_lines("tags", header.tags);
    root.group("stages");
  });
}

RunWriter::~RunWriter() {
  const h5::Guard guard;
  file_.reset();
}

void RunWriter::write_artifact(const std::string& name, const Artifact& artifact,
                               const ArtifactRecord& record) {
  const Place& artifacts = *file_->artifacts_place;
  h5::Hid dataset = h5::put_artifact_dataset(artifacts.id, name, artifact, options_,
                                             artifacts.where, &file_->types);
  MetadataTree& node = artifacts.node.children[name];
  if (const auto* texts = std::get_if<std::vector<std::string>>(&artifact.values)) {
    node.texts[""] = *texts;
  }
  const Place place{dataset.get(), node, artifacts.where + "/" + name, &file_->types};
  if (!artifact.columns.empty()) place.list("columns", artifact.columns);
  if (record.metrics) place.number("metrics", std::uint64_t{1});
}

namespace {

// The record's single fields as "name = value" lines (format 4).
NamedText record_lines(const StageRecord& record, const std::string& record_sha256) {
  NamedText lines{{"plugin", record.plugin},
                  {"plugin_kind", record.plugin_kind},
                  {"renders", record.renders ? "1" : "0"},
                  {"plugin_version", record.plugin_version},
                  {"plugin_sha256", record.plugin_sha256},
                  {"plugin_file", record.plugin_file},
                  {"seed", std::to_string(record.seed)},
                  {"status", record.status},
                  {"error", record.error},
                  {"seconds", number_text(record.seconds)},
                  {"record_sha256", record_sha256}};
  if (!record.reused_from_run.empty()) {
    lines.emplace_back("reused_from_run", record.reused_from_run);
    lines.emplace_back("reused_from_stage", record.reused_from_stage);
  }
  return lines;
}

}  // namespace

void RunWriter::write_stage(const StageRecord& record,
                            const std::vector<std::pair<std::string, Artifact>>& outputs,
                            const std::string& record_sha256) {
  write("stage " + record.id, [&] {
    if (outputs.size() != record.outputs.size()) {
      throw std::logic_error("the stage's outputs and their records differ in number");
    }
    file_->open_stage(tree_, temp_path_ + ": ", record.id);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const auto& [name, artifact] = outputs[i];
      write_artifact(name, artifact, record.outputs[i]);
    }
    NamedText artifact_hashes;
    for (const ArtifactRecord& output : record.outputs) {
      artifact_hashes.emplace_back(output.name, output.sha256);
    }
    const Place& stage = *file_->stage_place;
    stage.named_lines("params", record.params);
    stage.named_lines("param_origins", record.param_origins);
    stage.named_lines("inputs", record.inputs);
    stage.named_lines("input_hashes", record.input_hashes);
    stage.named_lines("files", record.files);
    stage.named_lines("artifact_sha256", artifact_hashes);
    if (!record.rows.empty()) stage.list_dataset("rows", record.rows);
    if (!record.log.empty()) stage.list_dataset("log", record.log);
    // Last: a stage with its record finished (a killed run may hold a stage
    // whose artifacts were written but not its record).
    stage.named_lines("record", record_lines(record, record_sha256));
    file_->close_stage();
  });
  stage_order_.push_back(record.id);
}

std::string RunWriter::finish(const std::string& status, const RunEnding& ending,
                              const std::string& final_path) {
  write("its ending", [&] {
    const Place root{file_->h5.get(), tree_, temp_path_ + ": ", &file_->types};
    root.list_dataset("stage_order", stage_order_);
    root.text("finished_at", ending.finished_at);
    root.number("seconds", ending.seconds);
    root.number("store_seconds", ending.store_seconds);
    root.text("root_hash", ending.root_hash);
    root.text("failed_stage", ending.failed_stage);
    root.text("error", ending.error);
    h5::remove_attribute(root.id, "status", root.where);  // "running" until now
    root.text("status", status);
    // The seal covers everything above, so it is written last.
    root.text("seal_sha256", metadata_sha256(tree_, "seal_sha256"));
    file_->close_stage();
    if (!file_->h5.close()) h5::fail(temp_path_ + ": close");
    std::error_code error;
    fs::rename(temp_path_, final_path, error);
    if (error)
      throw std::runtime_error("cannot rename it to " + final_path + ": " + error.message());
  });
  return final_path;
}

std::string RunWriter::finish_complete(const RunEnding& ending) {
  return finish("complete", ending, final_path_);
}

std::string RunWriter::finish_failed(const RunEnding& ending) {
  const fs::path target(final_path_);
  return finish("failed", ending,
                (target.parent_path() / (target.stem().string() + ".failed.h5")).string());
}

std::string hdf5_library_version() {
  const h5::Guard guard;
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return "HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(release);
}

}  // namespace rxflow

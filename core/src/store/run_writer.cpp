#include "store/run_writer.h"

#include <chrono>
#include <filesystem>

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

void put_named_text(hid_t parent, const std::string& name, const NamedText& items,
                    const std::string& where) {
  h5::Hid group = h5::create_group(parent, name, where);
  for (const auto& [key, text] : items)
    h5::put_attribute(group.get(), key, text, where + "/" + name);
}

}  // namespace

struct RunWriter::File {
  h5::Hid h5;
};

template <typename Body>
void RunWriter::write(const std::string& what, Body body) {
  const ScopeTimer timer(seconds_spent_);
  const h5::Guard guard;
  try {
    body();
  } catch (const std::exception& error) {
    file_->h5.close();
    std::error_code ignored;
    fs::remove(temp_path_, ignored);
    throw StoreError(temp_path_ + ": cannot write the run file, " + what + ": " + error.what() +
                     " (the partial file was removed)");
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
  const ScopeTimer timer(seconds_spent_);
  const h5::Guard guard;
  try {
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, temp_path_);
    // The 1.8 format checksums the superblock and object headers, so damaged
    // metadata is reported instead of parsed; locking (where the file system
    // has it) tells `rxflow log` that the file is being written.
    if (H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0 ||
        H5Pset_file_locking(access.get(), true, true) < 0) {
      h5::fail(temp_path_ + ": file access properties");
    }
    file_->h5 = h5::Hid(H5Fcreate(temp_path_.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, access.get()),
                        H5Fclose, temp_path_);
  } catch (const std::exception& thrown) {
    throw InputError(temp_path_ + ": cannot create the run file (" + thrown.what() + ")");
  }
  write("the header", [&] {
    const hid_t root = file_->h5.get();
    const std::string where = temp_path_ + ": /";
    h5::put_attribute(root, "format", std::string(kRunFormat), where);
    h5::put_attribute(root, "format_version", kRunFormatVersion, where);
    h5::put_attribute(root, "status", std::string("running"), where);
    h5::put_attribute(root, "run_id", header.run_id, where);
    h5::put_attribute(root, "workflow", header.workflow_name, where);
    h5::put_attribute(root, "root_seed", header.root_seed, where);
    h5::put_attribute(root, "root_seed_source",
                      std::string(header.seed_was_drawn ? "drawn" : "given"), where);
    h5::put_attribute(root, "identity_sha256", header.identity_sha256, where);
    h5::put_attribute(root, "engine_version", header.engine_version, where);
    h5::put_attribute(root, "git_commit", header.git_commit, where);
    h5::put_attribute(root, "started_at", header.started_at, where);
    if (!header.replay_of.run_id.empty()) {
      h5::put_attribute(root, "replay_of", header.replay_of.run_id, where);
      h5::put_attribute(root, "replay_of_root_hash", header.replay_of.root_hash, where);
      h5::put_text_list_dataset(root, "drift", header.replay_of.drift, where);
    }
    h5::Hid workflow = h5::create_group(root, "workflow", where);
    h5::put_attribute(workflow.get(), "path", header.workflow_path, where + "workflow");
    h5::put_text_dataset(workflow.get(), "source", header.workflow_text, where + "workflow");
    h5::put_text_dataset(workflow.get(), "resolved", header.resolved_workflow, where + "workflow");
    h5::put_text_list_dataset(workflow.get(), "overrides", header.overrides, where + "workflow");
    h5::Hid environment = h5::create_group(root, "environment", where);
    for (const auto& [name, value] : header.environment) {
      h5::put_attribute(environment.get(), name, value, where + "environment");
    }
    h5::create_group(root, "stages", where);
  });
}

RunWriter::~RunWriter() = default;

void RunWriter::write_artifact(const std::string& stage, const std::string& name,
                               const Artifact& artifact, const std::string& sha256, bool metrics) {
  write("artifact " + stage + "." + name, [&] {
    const std::string where = temp_path_ + ": /stages/" + stage;
    h5::Hid stages = h5::open_group(file_->h5.get(), "stages", temp_path_);
    if (!h5::has_link(stages.get(), stage)) {
      h5::Hid group = h5::create_group(stages.get(), stage, where);
      h5::create_group(group.get(), "artifacts", where);
    }
    h5::Hid artifacts = h5::open_group(stages.get(), stage + "/artifacts", where);
    h5::Hid dataset =
        h5::put_artifact_dataset(artifacts.get(), name, artifact, options_, where + "/artifacts");
    const std::string at = where + "/artifacts/" + name;
    h5::put_attribute(dataset.get(), "dtype", std::string(dtype_name(artifact.dtype())), at);
    h5::put_attribute(dataset.get(), "sha256", sha256, at);
    h5::put_attribute(dataset.get(), "producer", stage + "." + name, at);
    if (!artifact.columns.empty())
      h5::put_attribute(dataset.get(), "columns", artifact.columns, at);
    if (metrics) h5::put_attribute(dataset.get(), "metrics", std::uint64_t{1}, at);
  });
}

void RunWriter::write_stage(const StageRecord& record, const std::string& record_sha256) {
  write("stage " + record.id, [&] {
    const std::string where = temp_path_ + ": /stages/" + record.id;
    h5::Hid stages = h5::open_group(file_->h5.get(), "stages", temp_path_);
    if (!h5::has_link(stages.get(), record.id)) {
      h5::Hid group = h5::create_group(stages.get(), record.id, where);
      h5::create_group(group.get(), "artifacts", where);
    }
    h5::Hid stage = h5::open_group(stages.get(), record.id, where);
    const hid_t id = stage.get();
    h5::put_attribute(id, "plugin", record.plugin, where);
    h5::put_attribute(id, "plugin_kind", record.plugin_kind, where);
    h5::put_attribute(id, "renders", std::uint64_t{record.renders ? 1u : 0u}, where);
    h5::put_attribute(id, "plugin_version", record.plugin_version, where);
    h5::put_attribute(id, "plugin_sha256", record.plugin_sha256, where);
    h5::put_attribute(id, "plugin_file", record.plugin_file, where);
    h5::put_attribute(id, "seed", record.seed, where);
    h5::put_attribute(id, "status", record.status, where);
    h5::put_attribute(id, "error", record.error, where);
    h5::put_attribute(id, "seconds", record.seconds, where);
    h5::put_attribute(id, "record_sha256", record_sha256, where);
    put_named_text(id, "params", record.params, where);
    put_named_text(id, "param_origins", record.param_origins, where);
    put_named_text(id, "inputs", record.inputs, where);
    put_named_text(id, "input_hashes", record.input_hashes, where);
    put_named_text(id, "files", record.files, where);
    h5::put_text_list_dataset(id, "rows", record.rows, where);
    h5::put_text_list_dataset(id, "log", record.log, where);
    if (H5Fflush(file_->h5.get(), H5F_SCOPE_GLOBAL) < 0) h5::fail(where + ": flush");
  });
  stages_.push_back({record.id, record_sha256, record.status, record.error, record.renders});
}

std::string RunWriter::finish(const std::string& status, const RunEnding& ending,
                              const std::string& final_path) {
  SealedRun sealed{kRunFormatVersion,        header_.run_id,
                   header_.workflow_name,    header_.workflow_text,
                   header_.overrides,        header_.identity_sha256,
                   ending.root_hash,         status,
                   ending.failed_stage,      ending.error,
                   header_.replay_of.run_id, header_.replay_of.root_hash,
                   header_.replay_of.drift,  stages_};
  write("its ending", [&] {
    const hid_t root = file_->h5.get();
    const std::string where = temp_path_ + ": /";
    std::vector<std::string> order;
    for (const StoredStageSeal& stage : stages_) order.push_back(stage.id);
    h5::put_text_list_dataset(root, "stage_order", order, where);
    h5::put_attribute(root, "finished_at", ending.finished_at, where);
    h5::put_attribute(root, "seconds", ending.seconds, where);
    h5::put_attribute(root, "store_seconds", ending.store_seconds, where);
    h5::put_attribute(root, "root_hash", ending.root_hash, where);
    h5::put_attribute(root, "failed_stage", ending.failed_stage, where);
    h5::put_attribute(root, "error", ending.error, where);
    h5::put_attribute(root, "seal_sha256", run_seal_sha256(sealed), where);
    h5::put_attribute(root, "status", status, where);
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
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return "HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(release);
}

}  // namespace rxflow

// The only file that includes HDF5.
#include "store/run_store.h"

#include <H5Cpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "support/errors.h"
#include "store/hdf5_strings.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormat = "rxflow-run";
constexpr std::uint64_t kFormatVersion = 1;

// H5::Exception does not derive from std::exception; callers get one that does.
template <typename Body>
auto hdf5_call(const std::string& what, Body body) {
  try {
    return body();
  } catch (const H5::Exception& error) {
    throw std::runtime_error(what + ": HDF5 error in " + error.getFuncName() + ": " +
                             error.getDetailMsg());
  }
}

H5::Attribute fresh_attribute(H5::H5Object& object, const std::string& name,
                              const H5::DataType& type, const H5::DataSpace& space) {
  if (object.attrExists(name)) object.removeAttr(name);
  return object.createAttribute(name, type, space);
}

void put_text(H5::H5Object& object, const std::string& name, const std::string& value) {
  const H5::StrType type = text_type();
  fresh_attribute(object, name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

void put_u64(H5::H5Object& object, const std::string& name, std::uint64_t value) {
  fresh_attribute(object, name, H5::PredType::STD_U64LE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_UINT64, &value);
}

void put_f64(H5::H5Object& object, const std::string& name, double value) {
  fresh_attribute(object, name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  return pointers;
}

void put_text_list(H5::H5Object& object, const std::string& name,
                   const std::vector<std::string>& values) {
  const H5::StrType type = text_type();
  const hsize_t count = values.size();
  H5::Attribute attribute = fresh_attribute(object, name, type, H5::DataSpace(1, &count));
  if (count > 0) attribute.write(type, c_strings(values).data());
}

void put_named_text(H5::Group& parent, const std::string& group_name, const NamedText& items) {
  H5::Group group = parent.createGroup(group_name);
  for (const auto& [name, text] : items) put_text(group, name, text);
}

void write_text_dataset(H5::Group& parent, const std::string& name, const std::string& text) {
  const H5::StrType type = text_type();
  parent.createDataSet(name, type, H5::DataSpace(H5S_SCALAR)).write(text, type);
}

void write_text_list_dataset(H5::Group& parent, const std::string& name,
                             const std::vector<std::string>& values) {
  const H5::StrType type = text_type();
  const hsize_t count = values.size();
  H5::DataSet dataset = parent.createDataSet(name, type, H5::DataSpace(1, &count));
  if (count > 0) dataset.write(c_strings(values).data(), type);
}

std::string attribute_text(const H5::Attribute& attribute) {
  const H5T_class_t type_class = attribute.getTypeClass();
  if (attribute.getSpace().getSimpleExtentNpoints() != 1) return "";
  if (type_class == H5T_STRING) {
    std::string text;
    attribute.read(attribute.getDataType(), text);
    return text;
  }
  if (type_class == H5T_INTEGER) {
    std::uint64_t value = 0;
    attribute.read(H5::PredType::NATIVE_UINT64, &value);
    return std::to_string(value);
  }
  if (type_class == H5T_FLOAT) {
    double value = 0;
    attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
  }
  return "";
}

NamedText all_attributes(const H5::H5Object& object) {
  NamedText items;
  const int count = object.getNumAttrs();
  for (int i = 0; i < count; ++i) {
    const H5::Attribute attribute = object.openAttribute(static_cast<unsigned>(i));
    items.emplace_back(attribute.getName(), attribute_text(attribute));
  }
  return items;
}

std::vector<std::string> read_text_list(const H5::DataSet& dataset) {
  return read_strings(dataset, dataset.getSpace());
}

std::vector<std::string> read_text_list_attribute(const H5::H5Object& object,
                                                  const std::string& name) {
  if (!object.attrExists(name)) return {};
  const H5::Attribute attribute = object.openAttribute(name);
  return read_strings(attribute, attribute.getSpace());
}

std::string read_text_dataset(const H5::H5File& file, const std::string& path) {
  std::string text;
  const H5::DataSet dataset = file.openDataSet(path);
  dataset.read(text, dataset.getDataType());
  return text;
}

std::vector<std::uint64_t> dataset_shape(const H5::DataSet& dataset) {
  const H5::DataSpace space = dataset.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  if (!dims.empty()) space.getSimpleExtentDims(dims.data());
  return {dims.begin(), dims.end()};
}

DType dtype_from_name(const std::string& name) {
  if (name == "float64") return DType::kFloat64;
  if (name == "int64") return DType::kInt64;
  if (name == "string") return DType::kString;
  throw std::runtime_error("unknown dtype \"" + name + "\"");
}

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

}  // namespace

struct RunWriter::File {
  H5::H5File h5;
};

struct RunReader::File {
  H5::H5File h5;
};

RunWriter::RunWriter(const std::string& final_path, const RunHeader& header, StoreOptions options)
    : final_path_(final_path), options_(options) {
  H5::Exception::dontPrint();
  const fs::path target(final_path);
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (error) {
    throw InputError(target.parent_path().string() + ": cannot create the results folder (" +
                     error.message() + ")");
  }
  temp_path_ = (target.parent_path() / ("." + target.filename().string() + ".partial")).string();
  const ScopeTimer timer(seconds_spent_);
  try {
    file_ = std::make_unique<File>(File{H5::H5File(temp_path_, H5F_ACC_TRUNC)});
  } catch (const H5::Exception&) {
    throw InputError(temp_path_ + ": cannot create the run file (is the folder writable?)");
  }
  hdf5_call(temp_path_, [&] {
    H5::Group root = file_->h5.openGroup("/");
    put_text(root, "format", kFormat);
    put_u64(root, "format_version", kFormatVersion);
    put_text(root, "status", "running");
    put_text(root, "run_id", header.run_id);
    put_text(root, "workflow", header.workflow_name);
    put_u64(root, "root_seed", header.root_seed);
    put_text(root, "root_seed_source", header.seed_was_drawn ? "drawn" : "given");
    put_text(root, "identity_sha256", header.identity_sha256);
    put_text(root, "engine_version", header.engine_version);
    put_text(root, "git_commit", header.git_commit);
    put_text(root, "started_at", header.started_at);
    if (!header.replay_of.run_id.empty()) {
      put_text(root, "replay_of", header.replay_of.run_id);
      put_text(root, "replay_of_root_hash", header.replay_of.root_hash);
      put_text_list(root, "drift", header.replay_of.drift);
    }
    H5::Group workflow = file_->h5.createGroup("/workflow");
    put_text(workflow, "path", header.workflow_path);
    write_text_dataset(workflow, "source", header.workflow_text);
    write_text_dataset(workflow, "resolved", header.resolved_workflow);
    write_text_list_dataset(workflow, "overrides", header.overrides);
    H5::Group environment = file_->h5.createGroup("/environment");
    for (const auto& [name, value] : header.environment) put_text(environment, name, value);
    put_text(environment, "hdf5", hdf5_library_version());
    file_->h5.createGroup("/stages");
  });
}

RunWriter::~RunWriter() = default;

void RunWriter::write_artifact(const std::string& stage, const std::string& name,
                               const Artifact& artifact, const std::string& sha256) {
  const ScopeTimer timer(seconds_spent_);
  hdf5_call(temp_path_, [&] {
    const std::string group_path = "/stages/" + stage;
    if (!file_->h5.nameExists(group_path)) {
      file_->h5.createGroup(group_path).createGroup("artifacts");
    }
    H5::Group artifacts = file_->h5.openGroup(group_path + "/artifacts");
    const std::vector<hsize_t> dims(artifact.shape.begin(), artifact.shape.end());
    const H5::DataSpace space = dims.empty()
                                    ? H5::DataSpace(H5S_SCALAR)
                                    : H5::DataSpace(static_cast<int>(dims.size()), dims.data());
    const std::uint64_t count = artifact.element_count();
    H5::DSetCreatPropList properties;
    if (options_.deflate_level > 0 && !dims.empty() && count > 0) {
      std::vector<hsize_t> chunk = dims;
      const std::uint64_t row_bytes = 8 * (count / dims[0]);
      chunk[0] = std::clamp<hsize_t>(options_.chunk_bytes / std::max<std::uint64_t>(row_bytes, 1),
                                     1, dims[0]);
      properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
      properties.setDeflate(options_.deflate_level);
    }
    H5::DataSet dataset;
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, double>) {
            dataset = artifacts.createDataSet(name, H5::PredType::IEEE_F64LE, space, properties);
            if (count > 0) dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            dataset = artifacts.createDataSet(name, H5::PredType::STD_I64LE, space, properties);
            if (count > 0) dataset.write(values.data(), H5::PredType::NATIVE_INT64);
          } else {
            const H5::StrType type = text_type();
            dataset = artifacts.createDataSet(name, type, space, properties);
            if (count > 0) dataset.write(c_strings(values).data(), type);
          }
        },
        artifact.values);
    put_text(dataset, "dtype", std::string(dtype_name(artifact.dtype())));
    put_text(dataset, "sha256", sha256);
    put_text(dataset, "producer", stage + "." + name);
    if (!artifact.columns.empty()) put_text_list(dataset, "columns", artifact.columns);
  });
}

void RunWriter::write_stage(const StageRecord& record, const std::string& record_sha256) {
  const ScopeTimer timer(seconds_spent_);
  hdf5_call(temp_path_, [&] {
    const std::string group_path = "/stages/" + record.id;
    if (!file_->h5.nameExists(group_path))
      file_->h5.createGroup(group_path).createGroup("artifacts");
    H5::Group stage = file_->h5.openGroup(group_path);
    put_text(stage, "plugin", record.plugin);
    put_text(stage, "plugin_kind", record.plugin_kind);
    put_text(stage, "plugin_version", record.plugin_version);
    put_text(stage, "plugin_sha256", record.plugin_sha256);
    put_text(stage, "plugin_file", record.plugin_file);
    put_u64(stage, "seed", record.seed);
    put_text(stage, "status", record.status);
    put_text(stage, "error", record.error);
    put_f64(stage, "seconds", record.seconds);
    put_text(stage, "record_sha256", record_sha256);
    put_named_text(stage, "params", record.params);
    put_named_text(stage, "param_origins", record.param_origins);
    put_named_text(stage, "inputs", record.inputs);
    put_named_text(stage, "input_hashes", record.input_hashes);
    put_named_text(stage, "files", record.files);
    write_text_list_dataset(stage, "log", record.log);
    file_->h5.flush(H5F_SCOPE_GLOBAL);
  });
  stage_order_.push_back(record.id);
}

namespace {

std::string finish(H5::H5File& h5, const std::string& temp_path, const std::string& final_path,
                   const std::vector<std::string>& stage_order, const std::string& status,
                   const RunEnding& ending) {
  hdf5_call(temp_path, [&] {
    H5::Group root = h5.openGroup("/");
    H5::Group stages = h5.openGroup("/stages");
    put_text_list(stages, "order", stage_order);
    put_text(root, "finished_at", ending.finished_at);
    put_f64(root, "seconds", ending.seconds);
    put_f64(root, "store_seconds", ending.store_seconds);
    put_text(root, "root_hash", ending.root_hash);
    put_text(root, "failed_stage", ending.failed_stage);
    put_text(root, "error", ending.error);
    put_text(root, "status", status);
    h5.close();
  });
  std::error_code error;
  fs::rename(temp_path, final_path, error);
  if (error) {
    throw std::runtime_error(temp_path + ": cannot rename to " + final_path + " (" +
                             error.message() + ")");
  }
  return final_path;
}

}  // namespace

std::string RunWriter::finish_complete(const RunEnding& ending) {
  return finish(file_->h5, temp_path_, final_path_, stage_order_, "complete", ending);
}

std::string RunWriter::finish_failed(const RunEnding& ending) {
  const fs::path target(final_path_);
  const std::string failed_path =
      (target.parent_path() / (target.stem().string() + ".failed.h5")).string();
  return finish(file_->h5, temp_path_, failed_path, stage_order_, "failed", ending);
}

RunReader::RunReader(const std::string& path) : path_(path) {
  H5::Exception::dontPrint();
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw InputError(path + ": no such run file");
  bool is_hdf5 = false;
  try {
    is_hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
  }
  if (!is_hdf5) throw InputError(path + ": not an HDF5 file (expected an rxflow run file)");
  try {
    file_ = std::make_unique<File>(File{H5::H5File(path, H5F_ACC_RDONLY)});
  } catch (const H5::Exception&) {
    throw InputError(path + ": the HDF5 file cannot be opened (truncated or corrupt)");
  }
  if (attribute("format") != kFormat) {
    throw InputError(path + ": an HDF5 file, but not an rxflow run file (no format = \"" + kFormat +
                     "\" attribute)");
  }
}

RunReader::~RunReader() = default;

NamedText RunReader::attributes() const {
  return hdf5_call(path_, [&] { return all_attributes(file_->h5.openGroup("/")); });
}

std::string RunReader::attribute(const std::string& name) const {
  return hdf5_call(path_, [&]() -> std::string {
    const H5::Group root = file_->h5.openGroup("/");
    if (!root.attrExists(name)) return "";
    return attribute_text(root.openAttribute(name));
  });
}

std::vector<std::string> RunReader::list_attribute(const std::string& name) const {
  return hdf5_call(path_, [&] { return read_text_list_attribute(file_->h5.openGroup("/"), name); });
}

NamedText RunReader::environment() const {
  return hdf5_call(path_, [&] { return all_attributes(file_->h5.openGroup("/environment")); });
}

std::string RunReader::workflow_path() const {
  return hdf5_call(path_, [&]() -> std::string {
    const H5::Group workflow = file_->h5.openGroup("/workflow");
    return workflow.attrExists("path") ? attribute_text(workflow.openAttribute("path")) : "";
  });
}

std::string RunReader::workflow_text() const {
  return hdf5_call(path_, [&] { return read_text_dataset(file_->h5, "/workflow/source"); });
}

std::string RunReader::resolved_workflow() const {
  return hdf5_call(path_, [&] { return read_text_dataset(file_->h5, "/workflow/resolved"); });
}

std::vector<std::string> RunReader::overrides() const {
  return hdf5_call(path_,
                   [&] { return read_text_list(file_->h5.openDataSet("/workflow/overrides")); });
}

std::vector<StoredStage> RunReader::stages() const {
  return hdf5_call(path_, [&] {
    std::vector<StoredStage> stages;
    const H5::Group stages_group = file_->h5.openGroup("/stages");
    std::vector<std::string> order = read_text_list_attribute(stages_group, "order");
    if (order.empty()) {
      // A run that stopped before finishing: take the stages as found.
      for (hsize_t i = 0; i < stages_group.getNumObjs(); ++i)
        order.push_back(stages_group.getObjnameByIdx(i));
    }
    for (const std::string& id : order) {
      const H5::Group group = stages_group.openGroup(id);
      StoredStage stored;
      StageRecord& record = stored.record;
      record.id = id;
      const NamedText attributes = all_attributes(group);
      auto get = [&](const char* name) -> std::string {
        for (const auto& [key, value] : attributes) {
          if (key == name) return value;
        }
        return "";
      };
      record.plugin = get("plugin");
      record.plugin_kind = get("plugin_kind");
      record.plugin_version = get("plugin_version");
      record.plugin_sha256 = get("plugin_sha256");
      record.plugin_file = get("plugin_file");
      record.seed = get("seed").empty() ? 0 : std::stoull(get("seed"));
      record.status = get("status");
      record.error = get("error");
      record.seconds = get("seconds").empty() ? 0 : std::stod(get("seconds"));
      stored.record_sha256 = get("record_sha256");
      auto named = [&](const char* name) {
        return group.nameExists(name) ? all_attributes(group.openGroup(name)) : NamedText{};
      };
      record.params = named("params");
      record.param_origins = named("param_origins");
      record.inputs = named("inputs");
      record.input_hashes = named("input_hashes");
      record.files = named("files");
      if (group.nameExists("log")) record.log = read_text_list(group.openDataSet("log"));
      const H5::Group artifacts = group.openGroup("artifacts");
      for (hsize_t i = 0; i < artifacts.getNumObjs(); ++i) {
        const std::string name = artifacts.getObjnameByIdx(i);
        const H5::DataSet dataset = artifacts.openDataSet(name);
        ArtifactRecord output;
        output.name = name;
        output.dtype = dtype_from_name(attribute_text(dataset.openAttribute("dtype")));
        output.sha256 = attribute_text(dataset.openAttribute("sha256"));
        output.shape = dataset_shape(dataset);
        record.outputs.push_back(std::move(output));
      }
      stages.push_back(std::move(stored));
    }
    return stages;
  });
}

Artifact RunReader::read_artifact(const std::string& stage, const std::string& name) const {
  return hdf5_call(path_ + ": artifact " + stage + "." + name, [&] {
    const H5::DataSet dataset = file_->h5.openDataSet("/stages/" + stage + "/artifacts/" + name);
    Artifact artifact;
    artifact.shape = dataset_shape(dataset);
    const std::size_t count = static_cast<std::size_t>(dataset.getSpace().getSimpleExtentNpoints());
    switch (dataset.getTypeClass()) {
      case H5T_FLOAT: {
        std::vector<double> values(count);
        if (count > 0) dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
        artifact.values = std::move(values);
        break;
      }
      case H5T_INTEGER: {
        std::vector<std::int64_t> values(count);
        if (count > 0) dataset.read(values.data(), H5::PredType::NATIVE_INT64);
        artifact.values = std::move(values);
        break;
      }
      case H5T_STRING:
        artifact.values = read_text_list(dataset);
        break;
      default:
        throw std::runtime_error("unsupported HDF5 type class");
    }
    artifact.columns = read_text_list_attribute(dataset, "columns");
    return artifact;
  });
}

ArtifactLayout RunReader::artifact_layout(const std::string& stage, const std::string& name) const {
  return hdf5_call(path_ + ": artifact " + stage + "." + name, [&] {
    const H5::DataSet dataset = file_->h5.openDataSet("/stages/" + stage + "/artifacts/" + name);
    ArtifactLayout layout;
    layout.dtype = dtype_from_name(attribute_text(dataset.openAttribute("dtype")));
    layout.shape = dataset_shape(dataset);
    layout.columns = read_text_list_attribute(dataset, "columns");
    return layout;
  });
}

void RunReader::read_value_blocks(
    const std::string& stage, const std::string& name, std::size_t block_bytes,
    const std::function<void(const void*, std::size_t)>& consume) const {
  hdf5_call(path_ + ": artifact " + stage + "." + name, [&] {
    const H5::DataSet dataset = file_->h5.openDataSet("/stages/" + stage + "/artifacts/" + name);
    const DType dtype = dtype_from_name(attribute_text(dataset.openAttribute("dtype")));
    if (dtype == DType::kString) throw std::runtime_error("a string artifact has no value blocks");
    const H5::PredType& memory_type =
        dtype == DType::kFloat64 ? H5::PredType::NATIVE_DOUBLE : H5::PredType::NATIVE_INT64;
    const std::vector<std::uint64_t> shape = dataset_shape(dataset);
    std::uint64_t count = 1;
    for (std::uint64_t extent : shape) count *= extent;
    if (count == 0 || shape.empty()) {
      std::uint64_t value = 0;  // a scalar
      if (count > 0) {
        dataset.read(&value, memory_type);
        consume(&value, 1);
      }
      consume(nullptr, 0);
      return;
    }
    const std::uint64_t row = count / shape[0];
    const std::uint64_t rows_per_block =
        std::clamp<std::uint64_t>(block_bytes / (8 * row), 1, shape[0]);
    std::vector<std::uint64_t> buffers[2];
    H5::DataSpace file_space = dataset.getSpace();
    std::vector<hsize_t> start(shape.size(), 0), extent(shape.begin(), shape.end());
    int which = 0;
    for (std::uint64_t first = 0; first < shape[0]; first += rows_per_block, which ^= 1) {
      extent[0] = std::min(rows_per_block, shape[0] - first);
      start[0] = first;
      const std::size_t block_count = extent[0] * row;
      std::vector<std::uint64_t>& buffer = buffers[which];
      if (buffer.size() < block_count) buffer.resize(block_count);
      file_space.selectHyperslab(H5S_SELECT_SET, extent.data(), start.data());
      const H5::DataSpace memory_space(static_cast<int>(extent.size()), extent.data());
      dataset.read(buffer.data(), memory_type, memory_space, file_space);
      consume(buffer.data(), block_count);
    }
    consume(nullptr, 0);
  });
}

std::string hdf5_library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return "HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(release);
}

}  // namespace rxflow

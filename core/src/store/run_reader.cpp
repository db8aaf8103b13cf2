#include "store/run_reader.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <new>
#include <optional>
#include <set>

#include "store/hdf5_io.h"
#include "support/errors.h"
#include "support/identifier.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// The reader's errors all become InputError: the file is not what it claims.
template <typename Body>
auto guarded(const std::string& path, Body body) {
  const h5::Guard guard;
  try {
    return body();
  } catch (const h5::FormatError& error) {
    throw InputError(error.what());
  } catch (const h5::Hdf5Error& error) {
    throw InputError(error.what());
  } catch (const std::bad_alloc&) {
    throw InputError(path + ": an object too large to read into memory");
  }
}

[[noreturn]] void refuse(const std::string& where, const std::string& message) {
  throw h5::FormatError(where + ": " + message);
}

std::string checked_name(const std::string& name, const char* what, const std::string& where) {
  if (!is_identifier(name)) {
    refuse(where, std::string(what) + " \"" + name + "\" is not " + kIdentifierRule);
  }
  return name;
}

std::string checked_artifact_name(const std::string& name, const std::string& where) {
  if (!is_port_name(name)) {
    refuse(where, "artifact \"" + name + "\" is not " + kPortNameRule);
  }
  return name;
}

// Any attribute as text: strings as they are, numbers printed; "" when absent.
std::string attribute_text(hid_t object, const std::string& name, const std::string& where) {
  for (const auto& [key, text] : h5::get_all_as_text(object, where)) {
    if (key == name) return text;
  }
  return "";
}

std::string required_text(hid_t object, const std::string& name, const std::string& where) {
  const std::optional<std::string> text = h5::get_text(object, name, where);
  if (!text) refuse(where, "expected the attribute " + name + ", found none");
  return *text;
}

DType dtype_named(const std::string& name, const std::string& where) {
  if (name == "float64") return DType::kFloat64;
  if (name == "int64") return DType::kInt64;
  if (name == "string") return DType::kString;
  refuse(where, "dtype must be float64, int64 or string, found \"" + name + "\"");
}

// Formats 3 and 4: named texts as "name = value" lines in a list attribute, or in a
// list dataset when long; absent: none.
NamedText named_lines(hid_t group, const std::string& name, const std::string& where) {
  const std::vector<std::string> lines = h5::has_link(group, name)
                                             ? h5::get_text_list_dataset(group, name, where)
                                             : h5::get_text_list(group, name, where);
  NamedText items;
  for (const std::string& line : lines) {
    const std::size_t equals = line.find(" = ");
    if (equals == std::string::npos || equals == 0) {
      refuse(where + ": " + name, "expected \"name = value\" lines, found \"" + line + "\"");
    }
    items.emplace_back(line.substr(0, equals), line.substr(equals + 3));
  }
  return items;
}

// Format 4's stage record: its single fields as "name = value" lines, each
// name once.
class RecordFields {
 public:
  RecordFields(hid_t group, const std::string& where) : where_(where + ": record") {
    for (auto& [name, value] : named_lines(group, "record", where)) {
      if (!fields_.emplace(name, std::move(value)).second) {
        refuse(where_, "the field " + name + " is given twice");
      }
    }
  }
  std::optional<std::string> text(const std::string& name) const {
    const auto found = fields_.find(name);
    if (found == fields_.end()) return std::nullopt;
    return found->second;
  }
  std::string required(const std::string& name) const {
    const std::optional<std::string> value = text(name);
    if (!value) refuse(where_, "expected the field " + name + ", found none");
    return *value;
  }
  // A number field, parsed whole: `what` names what it must be.
  template <typename Number>
  Number number(const std::string& name, const char* what) const {
    const std::string value = required(name);
    Number number{};
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || value.empty()) {
      refuse(where_, name + " must be " + what + ", found \"" + value + "\"");
    }
    return number;
  }

 private:
  std::string where_;
  std::map<std::string, std::string> fields_;
};

// Whether a stage holds its record: a stage of a run that stopped may hold
// artifacts without it.
bool has_record(hid_t group, std::uint64_t format_version, const std::string& where) {
  if (format_version < 4) return h5::get_text(group, "record_sha256", where).has_value();
  return h5::has_link(group, "record") || !h5::get_text_list(group, "record", where).empty();
}

// An artifact's dtype: in format 3 its dataset's element type; before, its
// dtype attribute, which the element type must match.
DType artifact_dtype(hid_t dataset, const h5::DatasetShape& shape, std::uint64_t format_version,
                     const std::string& where) {
  const bool is_float = shape.type_class == H5T_FLOAT && shape.type_size == 8;
  const bool is_int = shape.type_class == H5T_INTEGER && shape.type_size == 8 && shape.is_signed;
  const bool is_string = shape.type_class == H5T_STRING;
  if (format_version >= 3) {
    if (is_float) return DType::kFloat64;
    if (is_int) return DType::kInt64;
    if (is_string) return DType::kString;
    refuse(where, "expected float64, int64 or string elements, found another type (" +
                      std::to_string(shape.type_size) + " bytes)");
  }
  const DType dtype = dtype_named(required_text(dataset, "dtype", where), where);
  const bool fits = dtype == DType::kString    ? is_string
                    : dtype == DType::kFloat64 ? is_float
                                               : is_int;
  if (!fits) {
    refuse(where, "dtype says " + std::string(dtype_name(dtype)) +
                      " but the dataset holds elements of another type or size (" +
                      std::to_string(shape.type_size) + " bytes)");
  }
  return dtype;
}

struct CheckedDataset {
  h5::Hid dataset;
  h5::DatasetShape shape;
  ArtifactLayout layout;
};

}  // namespace

struct RunReader::File {
  h5::Hid h5;
};

struct ValueRows::Dataset {
  h5::Hid dataset;
  h5::DatasetShape shape;
  std::string where;
};

ValueRows::ValueRows(std::unique_ptr<Dataset> dataset, ArtifactLayout layout, std::uint64_t rows,
                     std::uint64_t row_values)
    : dataset_(std::move(dataset)),
      layout_(std::move(layout)),
      rows_(rows),
      row_values_(row_values) {}
ValueRows::~ValueRows() = default;
ValueRows::ValueRows(ValueRows&&) noexcept = default;

void ValueRows::read(std::uint64_t first, std::uint64_t count, void* out) const {
  guarded(dataset_->where, [&] {
    h5::read_numeric_rows(dataset_->dataset.get(), dataset_->shape,
                          layout_.dtype == DType::kFloat64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64,
                          first, count, out, dataset_->where);
    return 0;
  });
}

RunReader::RunReader(const std::string& path) : file_(std::make_unique<File>()), path_(path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw InputError(path + ": no such run file");
  if (fs::file_size(path, error) == 0) {
    throw InputError(path + ": an empty file (expected an rxflow run file)");
  }
  guarded(path, [&] {
    if (H5Fis_hdf5(path.c_str()) <= 0) {
      throw InputError(path + ": not an HDF5 file (expected an rxflow run file)");
    }
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path);
    // Readers do not lock: a run file is never changed once it ended.
    if (H5Pset_file_locking(access.get(), false, true) < 0) h5::fail(path + ": file access");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get());
    if (file < 0) {
      throw InputError(path + ": the HDF5 file cannot be opened, it is truncated or corrupt (" +
                       h5::take_error_text() + ")");
    }
    file_->h5 = h5::Hid(file, H5Fclose, path);
    const std::string where = path + ": /";
    const std::optional<std::string> format = h5::get_text(file_->h5.get(), "format", where);
    if (format != std::optional<std::string>(kRunFormat)) {
      throw InputError(path + ": an HDF5 file, but not an rxflow run file (no format = \"" +
                       kRunFormat + "\" attribute)");
    }
    const std::optional<std::uint64_t> version =
        h5::get_u64(file_->h5.get(), "format_version", where);
    if (!version || *version < 1 || *version > kRunFormatVersion) {
      throw InputError(path + ": run-file format version " +
                       (version ? std::to_string(*version) : std::string("(none)")) +
                       ", this rxflow reads versions 1 to " + std::to_string(kRunFormatVersion) +
                       " (written by a newer rxflow?)");
    }
    format_version_ = *version;
    return 0;
  });
}

RunReader::~RunReader() = default;

NamedText RunReader::attributes() const {
  return guarded(path_, [&] { return h5::get_all_as_text(file_->h5.get(), path_ + ": /"); });
}

std::string RunReader::attribute(const std::string& name) const {
  return guarded(path_, [&] { return attribute_text(file_->h5.get(), name, path_ + ": /"); });
}

NamedText RunReader::environment() const {
  return guarded(path_, [&] {
    const hid_t root = file_->h5.get();
    if (format_version_ >= 4) return named_lines(root, "environment", path_ + ": /");
    const h5::Hid group = h5::open_group(root, "environment", path_ + ": /");
    return h5::get_all_as_text(group.get(), path_ + ": /environment");
  });
}

NamedText RunReader::tags() const {
  return guarded(path_, [&]() -> NamedText {
    const hid_t root = file_->h5.get();
    if (format_version_ >= 4) return named_lines(root, "tags", path_ + ": /");
    if (!h5::has_link(root, "tags")) return {};
    const h5::Hid group = h5::open_group(root, "tags", path_ + ": /");
    return h5::get_all_as_text(group.get(), path_ + ": /tags");
  });
}

std::string RunReader::workflow_path() const {
  return guarded(path_, [&] {
    const h5::Hid group = h5::open_group(file_->h5.get(), "workflow", path_ + ": /");
    return h5::get_text(group.get(), "path", path_ + ": /workflow").value_or("");
  });
}

std::string RunReader::workflow_text() const {
  return guarded(path_, [&] {
    const h5::Hid group = h5::open_group(file_->h5.get(), "workflow", path_ + ": /");
    return h5::get_text_dataset(group.get(), "source", path_ + ": /workflow");
  });
}

std::string RunReader::resolved_workflow() const {
  return guarded(path_, [&] {
    const h5::Hid group = h5::open_group(file_->h5.get(), "workflow", path_ + ": /");
    return h5::get_text_dataset(group.get(), "resolved", path_ + ": /workflow");
  });
}

std::vector<std::string> RunReader::overrides() const {
  return guarded(path_, [&] {
    const h5::Hid group = h5::open_group(file_->h5.get(), "workflow", path_ + ": /");
    return h5::get_text_list_dataset(group.get(), "overrides", path_ + ": /workflow");
  });
}

std::vector<std::string> RunReader::drift() const {
  return guarded(path_, [&]() -> std::vector<std::string> {
    const hid_t root = file_->h5.get();
    if (format_version_ == 1) return h5::get_text_list(root, "drift", path_ + ": /");
    if (!h5::has_link(root, "drift")) return {};
    return h5::get_text_list_dataset(root, "drift", path_ + ": /");
  });
}

std::vector<std::string> RunReader::stage_order() const {
  return guarded(path_, [&] {
    const hid_t root = file_->h5.get();
    std::vector<std::string> order;
    if (format_version_ == 1) {
      const h5::Hid stages = h5::open_group(root, "stages", path_ + ": /");
      order = h5::get_text_list(stages.get(), "order", path_ + ": /stages");
    } else if (h5::has_link(root, "stage_order")) {
      order = h5::get_text_list_dataset(root, "stage_order", path_ + ": /");
    }
    std::set<std::string> seen;
    for (const std::string& id : order) {
      checked_name(id, "the stage order names stage", path_ + ": /stage_order");
      if (!seen.insert(id).second) {
        refuse(path_ + ": /stage_order", "stage \"" + id + "\" is listed twice");
      }
    }
    return order;
  });
}

std::vector<std::string> RunReader::stage_groups() const {
  return guarded(path_, [&] {
    const h5::Hid stages = h5::open_group(file_->h5.get(), "stages", path_ + ": /");
    std::vector<std::string> names = h5::child_names(stages.get(), path_ + ": /stages");
    for (const std::string& name : names) checked_name(name, "stage group", path_ + ": /stages");
    return names;
  });
}

StoredStage RunReader::read_stage(const std::string& id) const {
  return guarded(path_, [&] {
    const std::string where = path_ + ": /stages/" + checked_name(id, "stage", path_);
    const h5::Hid stages = h5::open_group(file_->h5.get(), "stages", path_ + ": /");
    const h5::Hid group = h5::open_group(stages.get(), id, path_ + ": /stages");
    const hid_t g = group.get();
    StoredStage stored;
    StageRecord& record = stored.record;
    record.id = id;
    if (format_version_ >= 4) {
      const RecordFields fields(g, where);
      record.plugin = checked_name(fields.required("plugin"), "plugin", where);
      record.plugin_kind = fields.required("plugin_kind");
      record.plugin_version = fields.required("plugin_version");
      record.plugin_sha256 = fields.required("plugin_sha256");
      record.plugin_file = fields.text("plugin_file").value_or("");
      record.seed = fields.number<std::uint64_t>("seed", "an unsigned integer");
      record.renders = fields.number<std::uint64_t>("renders", "0 or 1") != 0;
      record.status = fields.required("status");
      record.error = fields.text("error").value_or("");
      record.seconds = fields.number<double>("seconds", "a number");
      record.reused_from_run = fields.text("reused_from_run").value_or("");
      record.reused_from_stage = fields.text("reused_from_stage").value_or("");
      stored.record_sha256 = fields.required("record_sha256");
    } else {
      record.plugin = checked_name(required_text(g, "plugin", where), "plugin", where);
      record.plugin_kind = required_text(g, "plugin_kind", where);
      record.plugin_version = required_text(g, "plugin_version", where);
      record.plugin_sha256 = required_text(g, "plugin_sha256", where);
      record.plugin_file = h5::get_text(g, "plugin_file", where).value_or("");
      const std::optional<std::uint64_t> seed = h5::get_u64(g, "seed", where);
      if (!seed) refuse(where, "expected the attribute seed, found none");
      record.seed = *seed;
      record.renders = format_version_ == 1 ? record.plugin_kind == "reporter"
                                            : h5::get_u64(g, "renders", where).value_or(0) != 0;
      record.status = required_text(g, "status", where);
      record.error = h5::get_text(g, "error", where).value_or("");
      record.seconds = h5::get_f64(g, "seconds", where).value_or(0);
      record.reused_from_run = h5::get_text(g, "reused_from_run", where).value_or("");
      record.reused_from_stage = h5::get_text(g, "reused_from_stage", where).value_or("");
      stored.record_sha256 = required_text(g, "record_sha256", where);
    }
    auto named = [&](const char* name) {
      if (format_version_ >= 3) return named_lines(g, name, where);
      if (!h5::has_link(g, name)) return NamedText{};
      const h5::Hid items = h5::open_group(g, name, where);
      return h5::get_all_as_text(items.get(), where + "/" + name);
    };
    record.params = named("params");
    record.param_origins = named("param_origins");
    record.inputs = named("inputs");
    record.input_hashes = named("input_hashes");
    record.files = named("files");
    if (h5::has_link(g, "rows")) record.rows = h5::get_text_list_dataset(g, "rows", where);
    if (h5::has_link(g, "log")) record.log = h5::get_text_list_dataset(g, "log", where);
    // Format 4 lists the artifacts' hashes in the stage, before in each artifact.
    std::map<std::string, std::string> hashes;
    if (format_version_ >= 4) {
      for (auto& [name, sha256] : named("artifact_sha256")) {
        if (!hashes.emplace(name, std::move(sha256)).second) {
          refuse(where + ": artifact_sha256", "artifact " + name + " is listed twice");
        }
      }
    }
    const h5::Hid artifacts = h5::open_group(g, "artifacts", where);
    for (const std::string& name : h5::child_names(artifacts.get(), where + "/artifacts")) {
      const std::string at = where + "/artifacts/" + checked_artifact_name(name, where);
      const h5::Hid dataset = h5::open_dataset(artifacts.get(), name, where + "/artifacts");
      ArtifactRecord output;
      output.name = name;
      const h5::DatasetShape shape = h5::inspect_dataset(dataset.get(), at);
      output.dtype = artifact_dtype(dataset.get(), shape, format_version_, at);
      if (format_version_ >= 4) {
        const auto hash = hashes.find(name);
        if (hash == hashes.end()) {
          refuse(where + ": artifact_sha256",
                 "expected the hash of artifact " + name + ", found none");
        }
        output.sha256 = hash->second;
        hashes.erase(hash);
      } else {
        output.sha256 = required_text(dataset.get(), "sha256", at);
      }
      output.shape = shape.shape;
      output.metrics = h5::get_u64(dataset.get(), "metrics", at).value_or(0) != 0;
      record.outputs.push_back(std::move(output));
    }
    if (!hashes.empty()) {
      refuse(where + ": artifact_sha256",
             "lists artifact " + hashes.begin()->first + ", which the stage does not hold");
    }
    return stored;
  });
}

std::vector<StoredStage> RunReader::stages() const {
  std::vector<std::string> ids = stage_order();
  const bool ended = !ids.empty();
  if (!ended) ids = stage_groups();
  std::vector<StoredStage> stages;
  for (const std::string& id : ids) {
    if (!ended) {
      // A run that stopped may hold a stage whose artifacts were written but
      // not yet its record: that stage did not finish.
      const bool recorded = guarded(path_, [&] {
        const h5::Hid group = h5::open_group(file_->h5.get(), "stages/" + id, path_ + ": /");
        return has_record(group.get(), format_version_, path_ + ": /stages/" + id);
      });
      if (!recorded) continue;
    }
    stages.push_back(read_stage(id));
  }
  return stages;
}

namespace {

CheckedDataset open_artifact(hid_t file, std::uint64_t format_version, const std::string& path,
                             const std::string& stage, const std::string& name) {
  const std::string where = path + ": /stages/" + checked_name(stage, "stage", path) +
                            "/artifacts/" + checked_artifact_name(name, path);
  const h5::Hid stages = h5::open_group(file, "stages", path + ": /");
  const h5::Hid group = h5::open_group(stages.get(), stage + "/artifacts", path + ": /stages");
  CheckedDataset checked{h5::open_dataset(group.get(), name, where), {}, {}};
  checked.shape = h5::inspect_dataset(checked.dataset.get(), where);
  checked.layout.dtype =
      artifact_dtype(checked.dataset.get(), checked.shape, format_version, where);
  checked.layout.shape = checked.shape.shape;
  checked.layout.columns = h5::get_text_list(checked.dataset.get(), "columns", where);
  if (!checked.layout.columns.empty() &&
      (checked.layout.shape.size() != 2 ||
       checked.layout.columns.size() != checked.layout.shape[1])) {
    refuse(where, "has " + std::to_string(checked.layout.columns.size()) +
                      " column names for the shape " + shape_text(checked.layout.shape));
  }
  return checked;
}

}  // namespace

Artifact RunReader::read_artifact(const std::string& stage, const std::string& name) const {
  return guarded(path_, [&] {
    const CheckedDataset checked =
        open_artifact(file_->h5.get(), format_version_, path_, stage, name);
    const std::string where = path_ + ": /stages/" + stage + "/artifacts/" + name;
    Artifact artifact;
    artifact.shape = checked.layout.shape;
    artifact.columns = checked.layout.columns;
    const std::uint64_t rows = artifact.shape.empty() ? 1 : artifact.shape[0];
    switch (checked.layout.dtype) {
      case DType::kFloat64: {
        std::vector<double> values(checked.shape.count);
        h5::read_numeric_rows(checked.dataset.get(), checked.shape, H5T_NATIVE_DOUBLE, 0, rows,
                              values.data(), where);
        artifact.values = std::move(values);
        break;
      }
      case DType::kInt64: {
        std::vector<std::int64_t> values(checked.shape.count);
        h5::read_numeric_rows(checked.dataset.get(), checked.shape, H5T_NATIVE_INT64, 0, rows,
                              values.data(), where);
        artifact.values = std::move(values);
        break;
      }
      case DType::kString:
        artifact.values = h5::read_string_values(checked.dataset.get(), checked.shape, where);
        break;
    }
    return artifact;
  });
}

ArtifactLayout RunReader::artifact_layout(const std::string& stage, const std::string& name) const {
  return guarded(path_, [&] {
    return open_artifact(file_->h5.get(), format_version_, path_, stage, name).layout;
  });
}

MetadataTree RunReader::metadata_tree() const {
  return guarded(path_, [&] { return h5::read_metadata_tree(file_->h5.get(), path_ + ": /"); });
}

ValueRows RunReader::value_rows(const std::string& stage, const std::string& name) const {
  return guarded(path_, [&] {
    CheckedDataset checked = open_artifact(file_->h5.get(), format_version_, path_, stage, name);
    const std::string where = path_ + ": /stages/" + stage + "/artifacts/" + name;
    if (checked.layout.dtype == DType::kString) {
      throw InputError(where + ": a string artifact has no numeric rows");
    }
    const std::uint64_t rows = checked.layout.shape.empty() ? 1 : checked.layout.shape[0];
    const std::uint64_t row_values = rows == 0 ? 0 : checked.shape.count / rows;
    auto dataset = std::make_unique<ValueRows::Dataset>(
        ValueRows::Dataset{std::move(checked.dataset), checked.shape, where});
    return ValueRows(std::move(dataset), checked.layout, rows, row_values);
  });
}

}  // namespace rxflow

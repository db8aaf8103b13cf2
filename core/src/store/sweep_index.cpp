#include "store/sweep_index.h"

#include <cmath>
#include <filesystem>

#include "store/hdf5_io.h"
#include "store/run_writer.h"
#include "support/errors.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

template <typename T, typename Field>
std::vector<T> column(const std::vector<SweepRow>& rows, Field field) {
  std::vector<T> values;
  values.reserve(rows.size());
  for (const SweepRow& row : rows) values.push_back(static_cast<T>(field(row)));
  return values;
}

// A table of rows.size() rows and `width` columns, row-major.
template <typename T, typename Cell>
std::vector<T> table(const std::vector<SweepRow>& rows, std::size_t width, Cell cell) {
  std::vector<T> values;
  values.reserve(rows.size() * width);
  for (const SweepRow& row : rows) {
    for (std::size_t c = 0; c < width; ++c) values.push_back(cell(row, c));
  }
  return values;
}

void put_u64_column(hid_t group, const std::string& name, const std::vector<std::uint64_t>& values,
                    const std::string& where) {
  const hsize_t count = values.size();
  h5::Hid space(H5Screate_simple(1, &count, nullptr), H5Sclose, where + ": " + name);
  h5::Hid dataset(H5Dcreate2(group, name.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT,
                             H5P_DEFAULT, H5P_DEFAULT),
                  H5Dclose, where + ": " + name);
  if (count > 0 &&
      H5Dwrite(dataset.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    h5::fail(where + ": " + name);
  }
}

void put(hid_t group, const std::string& name, const Artifact& artifact, const std::string& where) {
  h5::Hid dataset = h5::put_artifact_dataset(group, name, artifact, StoreOptions{}, where);
  if (!artifact.columns.empty()) {
    h5::put_attribute(dataset.get(), "columns", artifact.columns, where + "/" + name);
  }
}

// A dataset's values as text (strings), numbers (float64, int64, uint64).
struct ColumnReader {
  hid_t group;
  std::string where;
  std::uint64_t rows;

  h5::DatasetShape shape_of(const h5::Hid& dataset, const std::string& name,
                            std::uint64_t width) const {
    const h5::DatasetShape shape = h5::inspect_dataset(dataset.get(), where + "/" + name);
    if (shape.count != rows * width || (shape.count > 0 && shape.shape.empty())) {
      throw h5::FormatError(where + "/" + name + ": expected " + std::to_string(rows * width) +
                            " values for " + std::to_string(rows) + " points, found " +
                            std::to_string(shape.count));
    }
    return shape;
  }
  std::vector<std::string> texts(const std::string& name, std::uint64_t width = 1) const {
    const h5::Hid dataset = h5::open_dataset(group, name, where);
    const h5::DatasetShape shape = shape_of(dataset, name, width);
    if (shape.type_class != H5T_STRING) throw h5::FormatError(where + "/" + name + ": expected strings");
    return h5::read_string_values(dataset.get(), shape, where + "/" + name);
  }
  template <typename T>
  std::vector<T> numbers(const std::string& name, hid_t memory_type, std::uint64_t width = 1) const {
    const h5::Hid dataset = h5::open_dataset(group, name, where);
    const h5::DatasetShape shape = shape_of(dataset, name, width);
    if (shape.type_class != H5T_FLOAT && shape.type_class != H5T_INTEGER) {
      throw h5::FormatError(where + "/" + name + ": expected numbers");
    }
    std::vector<T> values(shape.count);
    h5::read_numeric_rows(dataset.get(), shape, memory_type, 0, shape.shape.empty() ? 1 : shape.shape[0],
                          values.data(), where + "/" + name);
    return values;
  }
};

}  // namespace

void write_sweep_index(const std::string& path, const SweepIndex& index) {
  const fs::path target(path);
  const std::string temp = (target.parent_path() / ("." + target.filename().string() + ".partial")).string();
  const h5::Guard guard;
  try {
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, temp);
    if (H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0) {
      h5::fail(temp + ": file access properties");
    }
    h5::Hid file(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose,
                 temp + ": cannot create the sweep index");
    const hid_t root = file.get();
    const std::string where = temp + ": /";
    h5::put_attribute(root, "format", std::string(kSweepFormat), where);
    h5::put_attribute(root, "format_version", kSweepFormatVersion, where);
    h5::put_attribute(root, "sweep", index.name, where);
    h5::put_attribute(root, "workflow", index.workflow, where);
    h5::put_attribute(root, "root_seed", index.root_seed, where);
    std::uint64_t complete = 0, failed = 0;
    for (const SweepRow& row : index.rows) {
      complete += row.status == "complete";
      failed += row.status == "failed";
    }
    h5::put_attribute(root, "points", static_cast<std::uint64_t>(index.rows.size()), where);
    h5::put_attribute(root, "complete", complete, where);
    h5::put_attribute(root, "failed", failed, where);
    {
      h5::Hid definition = h5::create_group(root, "definition", where);
      h5::put_attribute(definition.get(), "workflow_path", index.workflow_path, where + "definition");
      h5::put_text_dataset(definition.get(), "workflow", index.workflow_text, where + "definition");
      h5::put_text_dataset(definition.get(), "sweep", index.sweep_toml, where + "definition");
      h5::put_text_list_dataset(definition.get(), "axes", index.axes, where + "definition");
    }
    {
      h5::Hid context = h5::create_group(root, "context", where);
      for (const auto& [name, value] : index.context) {
        h5::put_attribute(context.get(), name, value, where + "context");
      }
    }
    h5::Hid points = h5::create_group(root, "points", where);
    const hid_t g = points.get();
    const std::string at = where + "points";
    const std::vector<SweepRow>& rows = index.rows;
    const std::uint64_t n = rows.size();
    put_u64_column(g, "index", column<std::uint64_t>(rows, [](const SweepRow& r) { return r.index; }), at);
    put_u64_column(g, "repeat", column<std::uint64_t>(rows, [](const SweepRow& r) { return r.repeat; }), at);
    put_u64_column(g, "seed", column<std::uint64_t>(rows, [](const SweepRow& r) { return r.seed; }), at);
    for (const auto& [name, field] :
         std::vector<std::pair<const char*, std::string SweepRow::*>>{
             {"key", &SweepRow::key},           {"status", &SweepRow::status},
             {"run_id", &SweepRow::run_id},     {"file", &SweepRow::file},
             {"root_hash", &SweepRow::root_hash}, {"identity", &SweepRow::identity},
             {"error", &SweepRow::error},       {"where", &SweepRow::where}}) {
      put(g, name, Artifact::vector(column<std::string>(rows, [member = field](const SweepRow& r) { return r.*member; })), at);
    }
    const std::size_t k = index.axes.size(), m = index.metric_names.size();
    put(g, "values",
        Artifact{{n, k}, table<std::string>(rows, k, [](const SweepRow& r, std::size_t c) { return r.values[c]; }),
                 index.axes},
        at);
    put(g, "metrics",
        Artifact{{n, m}, table<double>(rows, m, [](const SweepRow& r, std::size_t c) { return r.metrics[c]; }),
                 index.metric_names},
        at);
    if (!file.close()) h5::fail(temp + ": close");
    std::error_code error;
    fs::rename(temp, path, error);
    if (error) throw std::runtime_error("cannot rename it to " + path + ": " + error.message());
  } catch (const std::exception& error) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw StoreError(path + ": cannot write the sweep index (" + std::string(error.what()) + ")");
  }
}

bool is_sweep_index(const std::string& path) {
  return fs::path(path).filename() == "sweep.h5";
}

SweepIndex read_sweep_index(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw InputError(path + ": no such sweep index");
  const h5::Guard guard;
  try {
    if (H5Fis_hdf5(path.c_str()) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw InputError(path + ": not an HDF5 file (expected a sweep index, sweep.h5)");
    }
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path);
    if (H5Pset_file_locking(access.get(), false, true) < 0) h5::fail(path + ": file access");
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get());
    if (id < 0) {
      throw InputError(path + ": the sweep index cannot be opened, it is truncated or corrupt (" +
                       h5::take_error_text() + ")");
    }
    const h5::Hid file(id, H5Fclose, path);
    const std::string where = path + ": /";
    if (h5::get_text(file.get(), "format", where) != std::optional<std::string>(kSweepFormat)) {
      throw InputError(path + ": an HDF5 file, but not an rxflow sweep index");
    }
    const std::optional<std::uint64_t> version = h5::get_u64(file.get(), "format_version", where);
    if (version != kSweepFormatVersion) {
      throw InputError(path + ": sweep index format version " +
                       (version ? std::to_string(*version) : std::string("(none)")) +
                       ", this rxflow reads version 1");
    }
    SweepIndex index;
    index.name = h5::get_text(file.get(), "sweep", where).value_or("");
    index.workflow = h5::get_text(file.get(), "workflow", where).value_or("");
    index.root_seed = h5::get_u64(file.get(), "root_seed", where).value_or(0);
    const std::uint64_t n = h5::get_u64(file.get(), "points", where).value_or(0);
    {
      const h5::Hid definition = h5::open_group(file.get(), "definition", where);
      index.workflow_path = h5::get_text(definition.get(), "workflow_path", where + "definition").value_or("");
      index.workflow_text = h5::get_text_dataset(definition.get(), "workflow", where + "definition");
      index.sweep_toml = h5::get_text_dataset(definition.get(), "sweep", where + "definition");
      index.axes = h5::get_text_list_dataset(definition.get(), "axes", where + "definition");
    }
    if (h5::has_link(file.get(), "context")) {
      const h5::Hid context = h5::open_group(file.get(), "context", where);
      index.context = h5::get_all_as_text(context.get(), where + "context");
    }
    const h5::Hid points = h5::open_group(file.get(), "points", where);
    const ColumnReader read{points.get(), where + "points", n};
    const auto indices = read.numbers<std::uint64_t>("index", H5T_NATIVE_UINT64);
    const auto repeats = read.numbers<std::uint64_t>("repeat", H5T_NATIVE_UINT64);
    const auto seeds = read.numbers<std::uint64_t>("seed", H5T_NATIVE_UINT64);
    const h5::Hid metrics_set = h5::open_dataset(points.get(), "metrics", where + "points");
    index.metric_names = h5::get_text_list(metrics_set.get(), "columns", where + "points/metrics");
    const std::size_t k = index.axes.size(), m = index.metric_names.size();
    const auto values = read.texts("values", k);
    const auto metrics = read.numbers<double>("metrics", H5T_NATIVE_DOUBLE, m);
    std::vector<std::vector<std::string>> texts;
    const std::vector<std::string SweepRow::*> fields{&SweepRow::key,       &SweepRow::status,
                                                      &SweepRow::run_id,    &SweepRow::file,
                                                      &SweepRow::root_hash, &SweepRow::identity,
                                                      &SweepRow::error,     &SweepRow::where};
    for (const char* name : {"key", "status", "run_id", "file", "root_hash", "identity", "error", "where"}) {
      texts.push_back(read.texts(name));
    }
    index.rows.resize(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      SweepRow& row = index.rows[i];
      row.index = indices[i];
      row.repeat = repeats[i];
      row.seed = seeds[i];
      for (std::size_t f = 0; f < fields.size(); ++f) row.*fields[f] = texts[f][i];
      row.values.assign(values.begin() + static_cast<std::ptrdiff_t>(i * k),
                        values.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
      row.metrics.assign(metrics.begin() + static_cast<std::ptrdiff_t>(i * m),
                         metrics.begin() + static_cast<std::ptrdiff_t>((i + 1) * m));
    }
    return index;
  } catch (const h5::FormatError& error) {
    throw InputError(error.what());
  } catch (const h5::Hdf5Error& error) {
    throw InputError(error.what());
  }
}

}  // namespace rxflow

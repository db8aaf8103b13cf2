#include "store/hdf5_io.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <variant>

namespace rxflow::h5 {
namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& message) {
  H5Eclear2(H5E_DEFAULT);
  throw FormatError(where + ": " + message);
}

// Variable-length strings in a character set (HDF5 converts between equal
// sets only), for reading what format 1 and h5py write.
Hid text_type(const std::string& where, H5T_cset_t cset) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, where + ": string type");
  if (H5Tset_size(type.get(), H5T_VARIABLE) < 0 || H5Tset_cset(type.get(), cset) < 0) {
    fail(where + ": string type");
  }
  return type;
}

Hid memory_text_type(hid_t stored, const std::string& where) {
  const H5T_cset_t cset = H5Tget_cset(stored);
  if (cset != H5T_CSET_ASCII && cset != H5T_CSET_UTF8) {
    throw FormatError(where + ": expected ASCII or UTF-8 strings");
  }
  return text_type(where, cset);
}

Hid scalar_space(const std::string& where) {
  return Hid(H5Screate(H5S_SCALAR), H5Sclose, where + ": dataspace");
}

Hid list_space(std::uint64_t count, const std::string& where) {
  const hsize_t dims[1] = {count};
  return Hid(H5Screate_simple(1, dims, nullptr), H5Sclose, where + ": dataspace");
}

// Strings are written fixed-length (as wide as the longest, NUL-padded):
// their bytes then live in the dataset or in the attribute's object header,
// which HDF5's 1.8 format checksums, never in the global heap, which no
// format checksums and which a damaged file can point anywhere.
Hid fixed_text_type(std::size_t width, const std::string& where) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, where + ": string type");
  if (H5Tset_size(type.get(), width) < 0 || H5Tset_strpad(type.get(), H5T_STR_NULLPAD) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0) {
    fail(where + ": string type");
  }
  return type;
}

struct FixedTexts {
  Hid owned;  // the type, when no cache holds it
  hid_t type;
  std::string bytes;  // count * width
};

FixedTexts fixed_texts(const std::vector<std::string>& values, const std::string& where,
                       TypeCache* types) {
  std::size_t width = 1;
  for (const std::string& value : values) width = std::max(width, value.size());
  FixedTexts texts;
  if (types != nullptr) {
    texts.type = types->text(width, where);
  } else {
    texts.owned = fixed_text_type(width, where);
    texts.type = texts.owned.get();
  }
  texts.bytes.assign(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i].copy(texts.bytes.data() + i * width, values[i].size());
  }
  return texts;
}

Hid new_attribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                  const std::string& where) {
  return Hid(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
             where + ": attribute " + name);
}

// The cache's scalar dataspace, or a new one held by `owned`.
hid_t scalar_of(TypeCache* types, Hid& owned, const std::string& where) {
  if (types != nullptr) return types->scalar(where);
  owned = scalar_space(where);
  return owned.get();
}

void write_attribute(hid_t attribute, hid_t type, const void* data, const std::string& what) {
  if (H5Awrite(attribute, type, data) < 0) fail(what);
}

// Extents of a dataspace; refuses a null dataspace and overflowing sizes.
std::vector<std::uint64_t> extents(hid_t space, std::uint64_t* count, const std::string& where) {
  const H5S_class_t space_class = H5Sget_simple_extent_type(space);
  if (space_class == H5S_NULL) {
    refuse(where, "expected values, found a null dataspace (no values at all)");
  }
  if (space_class != H5S_SCALAR && space_class != H5S_SIMPLE) {
    refuse(where, "expected a scalar or an array, found an unreadable dataspace");
  }
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > H5S_MAX_RANK) refuse(where, "expected at most 32 dimensions");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0) {
    fail(where + ": dimensions");
  }
  std::uint64_t product = 1;
  for (hsize_t extent : dims) {
    if (__builtin_mul_overflow(product, static_cast<std::uint64_t>(extent), &product)) {
      refuse(where, "its dimensions multiply beyond 2^64 elements");
    }
  }
  *count = product;
  return {dims.begin(), dims.end()};
}

// A string attribute or scalar dataset: one value, variable or fixed length.
template <bool kDataset>
std::string read_one_text(hid_t source, const std::string& where) {
  Hid type(kDataset ? H5Dget_type(source) : H5Aget_type(source), H5Tclose, where + ": type");
  Hid space(kDataset ? H5Dget_space(source) : H5Aget_space(source), H5Sclose,
            where + ": dataspace");
  std::uint64_t count = 0;
  extents(space.get(), &count, where);
  if (H5Tget_class(type.get()) != H5T_STRING)
    refuse(where, "expected a string, found another type");
  if (count != 1) refuse(where, "expected one string, found " + std::to_string(count));
  auto read = [&](hid_t memory, void* out) {
    const herr_t status = kDataset ? H5Dread(source, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, out)
                                   : H5Aread(source, memory, out);
    if (status < 0) fail(where + ": cannot read the string");
  };
  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) fail(where + ": type");
  if (variable == 0) {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > kMaxTextBytes) refuse(where, "expected a string of sensible size");
    std::string buffer(size, '\0');
    read(type.get(), buffer.data());
    return buffer.substr(0, buffer.find('\0'));
  }
  Hid memory = memory_text_type(type.get(), where);
  char* pointer = nullptr;
  read(memory.get(), &pointer);
  std::string text = pointer ? pointer : "";
  H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &pointer);
  if (text.size() > kMaxTextBytes) refuse(where, "expected a string of sensible size");
  return text;
}

// The strings of a 1-d attribute or a dataset of any rank.
template <bool kDataset>
std::vector<std::string> read_texts(hid_t source, std::uint64_t count, const std::string& where) {
  Hid type(kDataset ? H5Dget_type(source) : H5Aget_type(source), H5Tclose, where + ": type");
  Hid space(kDataset ? H5Dget_space(source) : H5Aget_space(source), H5Sclose,
            where + ": dataspace");
  if (H5Tget_class(type.get()) != H5T_STRING) {
    refuse(where, "expected strings, found another type");
  }
  std::vector<std::string> values;
  if (count == 0) return values;
  if (count > kMaxEntries) refuse(where, "expected at most 2^28 strings");
  auto read = [&](hid_t memory, void* out) {
    const herr_t status = kDataset ? H5Dread(source, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, out)
                                   : H5Aread(source, memory, out);
    if (status < 0) fail(where + ": cannot read the strings");
  };
  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) fail(where + ": type");
  values.reserve(count);
  if (variable == 0) {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > kMaxTextBytes || count > kMaxTextBytes / size) {
      refuse(where, "expected strings of sensible size");
    }
    std::string buffer(size * count, '\0');
    read(type.get(), buffer.data());
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::string field = buffer.substr(i * size, size);
      values.push_back(field.substr(0, field.find('\0')));
    }
    return values;
  }
  Hid memory = memory_text_type(type.get(), where);
  std::vector<char*> pointers(count, nullptr);
  read(memory.get(), pointers.data());
  std::uint64_t total = 0;
  for (char* pointer : pointers) {
    values.emplace_back(pointer ? pointer : "");
    total += values.back().size();
  }
  H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
  if (total > 16 * kMaxTextBytes) refuse(where, "expected strings of sensible size");
  return values;
}

Hid open_attribute(hid_t object, const std::string& name, const std::string& where) {
  return Hid(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, where);
}

bool attribute_exists(hid_t object, const std::string& name, const std::string& where) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(where + ": attribute " + name);
  return exists > 0;
}

// An attribute's single number: its class, sign and value as read.
struct Number {
  H5T_class_t type_class;
  bool is_signed;
};

Number number_type(hid_t attribute, const std::string& where) {
  Hid type(H5Aget_type(attribute), H5Tclose, where + ": type");
  Hid space(H5Aget_space(attribute), H5Sclose, where + ": dataspace");
  std::uint64_t count = 0;
  extents(space.get(), &count, where);
  if (count != 1) refuse(where, "expected one number, found " + std::to_string(count) + " values");
  const H5T_class_t type_class = H5Tget_class(type.get());
  return {type_class, type_class == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_2};
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  auto* names = static_cast<std::vector<std::string>*>(data);
  if (names->size() >= kMaxChildren) return -1;
  names->emplace_back(name);
  return 0;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* data) {
  auto* names = static_cast<std::vector<std::string>*>(data);
  if (names->size() >= kMaxChildren) return -1;
  names->emplace_back(name);
  return 0;
}

}  // namespace

void keep_compact(hid_t group_creation, const std::string& where) {
  // HDF5 moves a group's links and an object's attributes out of its object
  // header into a fractal heap and a B-tree once there are more than 8; a run
  // file's groups hold a few dozen of each, and building those indexes is
  // most of the cost of writing a small file. Up to kCompact stay in the
  // (checksummed) header, which is made large enough for 32 links at once
  // (a stage's artifacts), not grown one link at a time.
  constexpr unsigned kCompact = 64;
  if (H5Pset_obj_track_times(group_creation, false) < 0 ||
      H5Pset_attr_phase_change(group_creation, kCompact, kCompact - 8) < 0 ||
      H5Pset_link_phase_change(group_creation, kCompact, kCompact - 8) < 0 ||
      H5Pset_est_link_info(group_creation, 32, 24) < 0) {
    fail(where + ": group creation properties");
  }
}

namespace {

Hid group_creation_properties(const std::string& where) {
  Hid properties(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, where + ": group creation properties");
  keep_compact(properties.get(), where);
  return properties;
}

// Small datasets keep their values in their (checksummed) object header, the
// compact layout, instead of a block of their own: a third less work each.
constexpr std::uint64_t kCompactBytes = 32 * 1024;  // a 64x64 image of doubles

Hid dataset_creation_properties(bool compact, const std::string& where) {
  Hid properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, where + ": properties");
  // No timestamps (a file's bytes follow from what it records) and no fill
  // values (every dataset is written whole right after it is made).
  if (H5Pset_obj_track_times(properties.get(), false) < 0 ||
      H5Pset_fill_time(properties.get(), H5D_FILL_TIME_NEVER) < 0 ||
      (compact && H5Pset_layout(properties.get(), H5D_COMPACT) < 0)) {
    fail(where + ": properties");
  }
  return properties;
}

}  // namespace

Hid create_group(hid_t parent, const std::string& name, const std::string& where,
                 TypeCache* types) {
  Hid owned;
  if (types == nullptr) owned = group_creation_properties(where);
  const hid_t properties = types != nullptr ? types->group_properties(where) : owned.get();
  return Hid(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties, H5P_DEFAULT), H5Gclose,
             where + ": cannot create group " + name);
}

hid_t TypeCache::text(std::size_t width, const std::string& where) {
  Hid& type = texts_[width];
  if (type.get() < 0) type = fixed_text_type(width, where);
  return type.get();
}

hid_t TypeCache::scalar(const std::string& where) {
  if (scalar_.get() < 0) scalar_ = scalar_space(where);
  return scalar_.get();
}

hid_t TypeCache::group_properties(const std::string& where) {
  if (group_properties_.get() < 0) group_properties_ = group_creation_properties(where);
  return group_properties_.get();
}

hid_t TypeCache::dataset_properties(bool compact, const std::string& where) {
  Hid& properties = dataset_properties_[compact ? 1 : 0];
  if (properties.get() < 0) properties = dataset_creation_properties(compact, where);
  return properties.get();
}

void put_attribute(hid_t object, const std::string& name, const std::string& text,
                   const std::string& where, TypeCache* types) {
  const FixedTexts texts = fixed_texts({text}, where, types);
  Hid owned_space;
  Hid attribute =
      new_attribute(object, name, texts.type, scalar_of(types, owned_space, where), where);
  write_attribute(attribute.get(), texts.type, texts.bytes.data(), where + ": attribute " + name);
}

void put_attribute(hid_t object, const std::string& name, std::uint64_t value,
                   const std::string& where, TypeCache* types) {
  Hid owned_space;
  Hid attribute =
      new_attribute(object, name, H5T_STD_U64LE, scalar_of(types, owned_space, where), where);
  write_attribute(attribute.get(), H5T_NATIVE_UINT64, &value, where + ": attribute " + name);
}

void put_attribute(hid_t object, const std::string& name, double value, const std::string& where,
                   TypeCache* types) {
  Hid owned_space;
  Hid attribute =
      new_attribute(object, name, H5T_IEEE_F64LE, scalar_of(types, owned_space, where), where);
  write_attribute(attribute.get(), H5T_NATIVE_DOUBLE, &value, where + ": attribute " + name);
}

void put_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                   const std::string& where, TypeCache* types) {
  const FixedTexts texts = fixed_texts(values, where, types);
  Hid space = list_space(values.size(), where);
  Hid attribute = new_attribute(object, name, texts.type, space.get(), where);
  if (!values.empty()) {
    write_attribute(attribute.get(), texts.type, texts.bytes.data(), where + ": attribute " + name);
  }
}

void remove_attribute(hid_t object, const std::string& name, const std::string& where) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0 || (exists > 0 && H5Adelete(object, name.c_str()) < 0)) {
    fail(where + ": attribute " + name);
  }
}

namespace {

// The creation properties of a dataset of `bytes` bytes (0: not compact),
// from the cache or held by `owned`.
hid_t dataset_properties_of(std::uint64_t bytes, TypeCache* types, Hid& owned,
                            const std::string& what) {
  const bool compact = bytes > 0 && bytes <= kCompactBytes;
  if (types != nullptr) return types->dataset_properties(compact, what);
  owned = dataset_creation_properties(compact, what);
  return owned.get();
}

void put_texts(hid_t parent, const std::string& name, const std::vector<std::string>& values,
               hid_t space, const std::string& what, TypeCache* types) {
  const FixedTexts texts = fixed_texts(values, what, types);
  Hid owned;
  const hid_t properties = dataset_properties_of(texts.bytes.size(), types, owned, what);
  Hid dataset(
      H5Dcreate2(parent, name.c_str(), texts.type, space, H5P_DEFAULT, properties, H5P_DEFAULT),
      H5Dclose, what);
  if (!values.empty() &&
      H5Dwrite(dataset.get(), texts.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.bytes.data()) < 0) {
    fail(what);
  }
}

}  // namespace

void put_text_dataset(hid_t parent, const std::string& name, const std::string& text,
                      const std::string& where, TypeCache* types) {
  const std::string what = where + ": dataset " + name;
  Hid owned_space;
  put_texts(parent, name, {text}, scalar_of(types, owned_space, what), what, types);
}

void put_text_list_dataset(hid_t parent, const std::string& name,
                           const std::vector<std::string>& texts, const std::string& where,
                           TypeCache* types) {
  const std::string what = where + ": dataset " + name;
  Hid space = list_space(texts.size(), what);
  put_texts(parent, name, texts, space.get(), what, types);
}

Hid put_artifact_dataset(hid_t parent, const std::string& name, const Artifact& artifact,
                         const StoreOptions& options, const std::string& where, TypeCache* types) {
  const std::string what = where + ": artifact " + name;
  const std::vector<hsize_t> dims(artifact.shape.begin(), artifact.shape.end());
  Hid owned_space;
  if (!dims.empty()) {
    owned_space = Hid(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                      H5Sclose, what + ": dataspace");
  }
  const hid_t space = dims.empty() ? scalar_of(types, owned_space, what) : owned_space.get();
  const std::uint64_t count = artifact.element_count();
  std::optional<FixedTexts> strings;
  if (const auto* texts = std::get_if<std::vector<std::string>>(&artifact.values)) {
    strings = fixed_texts(*texts, what, types);
  }
  const std::uint64_t element_bytes = strings ? H5Tget_size(strings->type) : 8;
  const bool compressed = options.deflate_level > 0 && !dims.empty() && count > 0;
  Hid owned_properties;
  hid_t properties = 0;
  if (compressed) {
    owned_properties = dataset_creation_properties(false, what);
    properties = owned_properties.get();
    std::vector<hsize_t> chunk = dims;
    const std::uint64_t row_bytes = element_bytes * (count / dims[0]);
    chunk[0] = std::clamp<hsize_t>(options.chunk_bytes / std::max<std::uint64_t>(row_bytes, 1), 1,
                                   dims[0]);
    if (H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()) < 0 ||
        H5Pset_fletcher32(properties) < 0 ||
        H5Pset_deflate(properties, static_cast<unsigned>(options.deflate_level)) < 0) {
      fail(what + ": compression");
    }
  } else {
    properties = dataset_properties_of(count * element_bytes, types, owned_properties, what);
  }
  hid_t file_type = strings ? strings->type : H5T_IEEE_F64LE;
  hid_t memory_type = file_type;
  const void* data = strings ? strings->bytes.data() : nullptr;
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, double>) {
          file_type = H5T_IEEE_F64LE;
          memory_type = H5T_NATIVE_DOUBLE;
          data = values.data();
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          file_type = H5T_STD_I64LE;
          memory_type = H5T_NATIVE_INT64;
          data = values.data();
        }
      },
      artifact.values);
  Hid dataset(
      H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, properties, H5P_DEFAULT),
      H5Dclose, what);
  if (count > 0 && H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail(what);
  }
  return dataset;
}

bool has_link(hid_t parent, const std::string& name) {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

Hid open_group(hid_t parent, const std::string& name, const std::string& where) {
  if (!has_link(parent, name)) refuse(where, "expected a group " + name + ", found none");
  H5O_info_t info;
  if (H5Oget_info_by_name2(parent, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
    fail(where + ": " + name);
  }
  if (info.type != H5O_TYPE_GROUP) refuse(where, "expected " + name + " to be a group");
  return Hid(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, where + ": group " + name);
}

Hid open_dataset(hid_t parent, const std::string& name, const std::string& where) {
  if (!has_link(parent, name)) refuse(where, "expected a dataset " + name + ", found none");
  H5O_info_t info;
  if (H5Oget_info_by_name2(parent, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
    fail(where + ": " + name);
  }
  if (info.type != H5O_TYPE_DATASET) refuse(where, "expected " + name + " to be a dataset");
  return Hid(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, where + ": dataset " + name);
}

std::vector<std::string> child_names(hid_t group, const std::string& where) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names) < 0) {
    if (names.size() >= kMaxChildren) refuse(where, "expected fewer than 2^24 members");
    fail(where + ": cannot list the members");
  }
  return names;
}

std::optional<std::string> get_text(hid_t object, const std::string& name,
                                    const std::string& where) {
  if (!attribute_exists(object, name, where)) return std::nullopt;
  Hid attribute = open_attribute(object, name, where + ": attribute " + name);
  return read_one_text<false>(attribute.get(), where + ": attribute " + name);
}

std::optional<std::uint64_t> get_u64(hid_t object, const std::string& name,
                                     const std::string& where) {
  if (!attribute_exists(object, name, where)) return std::nullopt;
  const std::string what = where + ": attribute " + name;
  Hid attribute = open_attribute(object, name, what);
  const Number number = number_type(attribute.get(), what);
  if (number.type_class != H5T_INTEGER) refuse(what, "expected an unsigned integer");
  if (number.is_signed) {
    std::int64_t value = 0;
    if (H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0) fail(what);
    if (value < 0) refuse(what, "expected an unsigned integer, found " + std::to_string(value));
    return static_cast<std::uint64_t>(value);
  }
  std::uint64_t value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_UINT64, &value) < 0) fail(what);
  return value;
}

std::optional<double> get_f64(hid_t object, const std::string& name, const std::string& where) {
  if (!attribute_exists(object, name, where)) return std::nullopt;
  const std::string what = where + ": attribute " + name;
  Hid attribute = open_attribute(object, name, what);
  const Number number = number_type(attribute.get(), what);
  if (number.type_class != H5T_FLOAT && number.type_class != H5T_INTEGER) {
    refuse(what, "expected a number");
  }
  double value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail(what);
  return value;
}

std::vector<std::string> get_text_list(hid_t object, const std::string& name,
                                       const std::string& where) {
  if (!attribute_exists(object, name, where)) return {};
  const std::string what = where + ": attribute " + name;
  Hid attribute = open_attribute(object, name, what);
  Hid space(H5Aget_space(attribute.get()), H5Sclose, what);
  std::uint64_t count = 0;
  if (extents(space.get(), &count, what).size() > 1) refuse(what, "expected a list of strings");
  return read_texts<false>(attribute.get(), count, what);
}

NamedText get_all_as_text(hid_t object, const std::string& where) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &names) < 0) {
    if (names.size() >= kMaxChildren) refuse(where, "expected fewer than 2^24 attributes");
    fail(where + ": cannot list the attributes");
  }
  NamedText items;
  for (const std::string& name : names) {
    const std::string what = where + ": attribute " + name;
    Hid attribute = open_attribute(object, name, what);
    Hid type(H5Aget_type(attribute.get()), H5Tclose, what);
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class == H5T_STRING) {
      Hid space(H5Aget_space(attribute.get()), H5Sclose, what);
      if (H5Sget_simple_extent_type(space.get()) == H5S_SIMPLE) continue;  // a list, not a text
      items.emplace_back(name, read_one_text<false>(attribute.get(), what));
    } else if (type_class == H5T_INTEGER) {
      items.emplace_back(name, std::to_string(*get_u64(object, name, where)));
    } else if (type_class == H5T_FLOAT) {
      items.emplace_back(name, number_text(*get_f64(object, name, where)));
    } else {
      refuse(what, "expected a string or a number");
    }
  }
  return items;
}

namespace {

// List attributes (one dimension, strings) by name.
std::vector<std::string> list_attribute_names(hid_t object, const std::string& where) {
  std::vector<std::string> names, lists;
  hsize_t index = 0;
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &names) < 0) {
    fail(where + ": cannot list the attributes");
  }
  for (const std::string& name : names) {
    Hid attribute = open_attribute(object, name, where + ": attribute " + name);
    Hid type(H5Aget_type(attribute.get()), H5Tclose, where + ": attribute " + name);
    Hid space(H5Aget_space(attribute.get()), H5Sclose, where + ": attribute " + name);
    if (H5Tget_class(type.get()) == H5T_STRING &&
        H5Sget_simple_extent_type(space.get()) == H5S_SIMPLE) {
      lists.push_back(name);
    }
  }
  return lists;
}

void fill_attributes(hid_t object, const std::string& where, MetadataTree& node) {
  for (const auto& [name, text] : get_all_as_text(object, where)) node.attributes[name] = text;
  for (const std::string& name : list_attribute_names(object, where)) {
    node.texts["@" + name] = get_text_list(object, name, where);
  }
}

}  // namespace

MetadataTree read_metadata_tree(hid_t group, const std::string& where) {
  MetadataTree tree;
  fill_attributes(group, where, tree);
  for (const std::string& name : child_names(group, where)) {
    H5O_info_t info;
    if (H5Oget_info_by_name2(group, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
      fail(where + "/" + name);
    }
    const std::string at = where + (where.ends_with("/") ? "" : "/") + name;
    MetadataTree& child = tree.children[name];
    if (info.type == H5O_TYPE_GROUP) {
      const Hid sub = open_group(group, name, where);
      child = read_metadata_tree(sub.get(), at);
    } else if (info.type == H5O_TYPE_DATASET) {
      const Hid dataset = open_dataset(group, name, where);
      fill_attributes(dataset.get(), at, child);
      const DatasetShape shape = inspect_dataset(dataset.get(), at);
      if (shape.type_class == H5T_STRING)
        child.texts[""] = read_string_values(dataset.get(), shape, at);
    } else {
      refuse(at, "expected a group or a dataset");
    }
  }
  return tree;
}

std::string get_text_dataset(hid_t parent, const std::string& name, const std::string& where) {
  Hid dataset = open_dataset(parent, name, where);
  return read_one_text<true>(dataset.get(), where + ": " + name);
}

std::vector<std::string> get_text_list_dataset(hid_t parent, const std::string& name,
                                               const std::string& where) {
  Hid dataset = open_dataset(parent, name, where);
  const std::string what = where + ": " + name;
  const DatasetShape shape = inspect_dataset(dataset.get(), what);
  if (shape.shape.size() != 1) refuse(what, "expected a list of strings");
  return read_string_values(dataset.get(), shape, what);
}

DatasetShape inspect_dataset(hid_t dataset, const std::string& where) {
  DatasetShape result;
  Hid type(H5Dget_type(dataset), H5Tclose, where + ": type");
  Hid space(H5Dget_space(dataset), H5Sclose, where + ": dataspace");
  result.shape = extents(space.get(), &result.count, where);
  result.type_class = H5Tget_class(type.get());
  result.type_size = H5Tget_size(type.get());
  if (result.type_class == H5T_INTEGER) result.is_signed = H5Tget_sign(type.get()) == H5T_SGN_2;
  if (result.type_size == 0) refuse(where, "expected elements of a known size");
  if (result.count > kMaxEntries) {
    refuse(where, "expected at most 2^28 values, found " + std::to_string(result.count));
  }
  if (result.count == 0) return result;
  // (H5Dget_space_status is no help: 1.10 reports filtered chunked data as
  // not allocated.)
  const std::uint64_t stored = H5Dget_storage_size(dataset);
  const std::uint64_t needed = result.count * result.type_size;
  if (stored == 0 || needed / stored > kMaxCompression) {
    refuse(where, "its storage (" + std::to_string(stored) + " bytes) cannot hold " +
                      std::to_string(result.count) + " values");
  }
  return result;
}

void read_numeric_rows(hid_t dataset, const DatasetShape& shape, hid_t memory_type,
                       std::uint64_t first, std::uint64_t rows, void* out,
                       const std::string& where) {
  if (shape.count == 0 || rows == 0) return;
  if (shape.shape.empty()) {
    if (H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
      fail(where + ": cannot read the value");
    }
    return;
  }
  std::vector<hsize_t> start(shape.shape.size(), 0), count(shape.shape.begin(), shape.shape.end());
  start[0] = first;
  count[0] = rows;
  Hid file_space(H5Dget_space(dataset), H5Sclose, where + ": dataspace");
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                          nullptr) < 0) {
    fail(where + ": selection");
  }
  Hid memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                   H5Sclose, where + ": dataspace");
  if (H5Dread(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
    fail(where + ": cannot read the values");
  }
}

std::vector<std::string> read_string_values(hid_t dataset, const DatasetShape& shape,
                                            const std::string& where) {
  return read_texts<true>(dataset, shape.count, where);
}

}  // namespace rxflow::h5

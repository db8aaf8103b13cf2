// Typed reading and writing of the HDF5 objects a run file (and a tensor
// file) is made of: text, integer and float attributes, text and text-list
// datasets, and artifact datasets. Every reader checks before it reads:
// the type class and size, the dataspace (a null dataspace, a rank above
// HDF5's 32, or extents whose product overflows are refused), and that a
// dataset's storage holds its values (a dataset claiming 2^40 elements in a
// few bytes of file is refused instead of read), so a hostile file gives a
// FormatError naming the object, never a crash, a hang or a huge
// allocation. `where` names the object in messages ("run.h5:
// /stages/train/artifacts/p0"). REQUIRES: the caller holds an h5::Guard.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "store/hdf5_handle.h"
#include "store/metadata_tree.h"
#include "store/run_file.h"

namespace rxflow::h5 {

// What a reader accepts at most.
inline constexpr std::uint64_t kMaxTextBytes = 64ull << 20;  // one text value
inline constexpr std::uint64_t kMaxEntries = 1ull << 28;     // one list or dataset
inline constexpr std::uint64_t kMaxChildren = 1ull << 24;    // links in one group
// gzip cannot shrink data more than about 1032 times; storage smaller than
// this share of the values cannot hold them.
inline constexpr std::uint64_t kMaxCompression = 1100;

// --- Writing. Each throws Hdf5Error naming `where` and HDF5's reason.

// Sets a group (or file) creation property list to keep up to 64 links and
// attributes in the object header.
void keep_compact(hid_t group_creation, const std::string& where);
class TypeCache;
// `types` (optional) caches the group creation properties.
Hid create_group(hid_t parent, const std::string& name, const std::string& where,
                 TypeCache* types = nullptr);
// The string types, the scalar dataspace and the creation properties a
// writer uses again and again (making them is a third of the calls per
// attribute, a fifth per small dataset). Not thread-safe; its handles close
// with it, under the caller's Guard.
class TypeCache {
 public:
  hid_t text(std::size_t width, const std::string& where);  // fixed-length UTF-8
  hid_t scalar(const std::string& where);
  hid_t group_properties(const std::string& where);  // keep_compact's
  // No timestamps, no fill values; compact: the values in the object header.
  hid_t dataset_properties(bool compact, const std::string& where);

 private:
  std::map<std::size_t, Hid> texts_;
  Hid scalar_, group_properties_, dataset_properties_[2];
};

// The attribute must not exist (remove_attribute first to replace one).
// `types` (optional) caches the types and dataspaces they use.
void put_attribute(hid_t object, const std::string& name, const std::string& text,
                   const std::string& where, TypeCache* types = nullptr);
void put_attribute(hid_t object, const std::string& name, std::uint64_t value,
                   const std::string& where, TypeCache* types = nullptr);
void put_attribute(hid_t object, const std::string& name, double value, const std::string& where,
                   TypeCache* types = nullptr);
void put_attribute(hid_t object, const std::string& name, const std::vector<std::string>& texts,
                   const std::string& where, TypeCache* types = nullptr);
void remove_attribute(hid_t object, const std::string& name, const std::string& where);
void put_text_dataset(hid_t parent, const std::string& name, const std::string& text,
                      const std::string& where, TypeCache* types = nullptr);
void put_text_list_dataset(hid_t parent, const std::string& name,
                           const std::vector<std::string>& texts, const std::string& where,
                           TypeCache* types = nullptr);
// float64 as IEEE little-endian, int64 as little-endian, strings as
// fixed-length UTF-8 as wide as the longest (NUL-padded; text attributes and
// datasets alike, so that no string lives in HDF5's unchecksummed global
// heap); chunked, checksummed (Fletcher-32) and compressed when options ask
// for compression. Returns the dataset, for its attributes.
Hid put_artifact_dataset(hid_t parent, const std::string& name, const Artifact& artifact,
                         const StoreOptions& options, const std::string& where,
                         TypeCache* types = nullptr);

// --- Reading. Each throws FormatError (the object is not what rxflow
// writes) or Hdf5Error (the library could not read it).

bool has_link(hid_t parent, const std::string& name);
Hid open_group(hid_t parent, const std::string& name, const std::string& where);
Hid open_dataset(hid_t parent, const std::string& name, const std::string& where);
// The names of a group's links, in name order.
std::vector<std::string> child_names(hid_t group, const std::string& where);

// Absent attributes are nullopt; present ones of another type are refused.
std::optional<std::string> get_text(hid_t object, const std::string& name,
                                    const std::string& where);
std::optional<std::uint64_t> get_u64(hid_t object, const std::string& name,
                                     const std::string& where);
std::optional<double> get_f64(hid_t object, const std::string& name, const std::string& where);
std::vector<std::string> get_text_list(hid_t object, const std::string& name,
                                       const std::string& where);  // absent: {}
// Every attribute of an object as text (numbers printed), in name order;
// list attributes are left out (get_text_list reads them).
NamedText get_all_as_text(hid_t object, const std::string& where);

std::string get_text_dataset(hid_t parent, const std::string& name, const std::string& where);
std::vector<std::string> get_text_list_dataset(hid_t parent, const std::string& name,
                                               const std::string& where);

// The metadata tree (metadata_tree.h) of a group and everything below it:
// attributes, list attributes, string datasets' values, and the attributes
// (not the values) of numeric datasets.
MetadataTree read_metadata_tree(hid_t group, const std::string& where);

// A dataset's element type and extents, after the checks above.
struct DatasetShape {
  H5T_class_t type_class = H5T_NO_CLASS;
  std::size_t type_size = 0;
  bool is_signed = false;
  std::vector<std::uint64_t> shape;  // empty: a scalar
  std::uint64_t count = 0;           // product of shape (1 for a scalar)
};
DatasetShape inspect_dataset(hid_t dataset, const std::string& where);

// Rows [first, first + rows) of a numeric dataset, converted to
// memory_type (H5T_NATIVE_DOUBLE or H5T_NATIVE_INT64), into out, which
// holds rows times the values per row. A scalar is one row of one value.
void read_numeric_rows(hid_t dataset, const DatasetShape& shape, hid_t memory_type,
                       std::uint64_t first, std::uint64_t rows, void* out,
                       const std::string& where);
// Every value of a string dataset (variable-length, or fixed-length cut at
// the first NUL).
std::vector<std::string> read_string_values(hid_t dataset, const DatasetShape& shape,
                                            const std::string& where);

}  // namespace rxflow::h5

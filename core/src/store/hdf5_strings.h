// Variable-length UTF-8 strings in HDF5, as the run store and tensor files
// write and read them. Included only by the store's files (design.md: only
// the store includes HDF5).
#pragma once

#include <H5Cpp.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace rxflow {

inline H5::StrType text_type() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

// The strings of a dataset or an attribute: variable-length (as rxflow and
// h5py's string_dtype() write them) or fixed-length (numpy's "S" arrays,
// cut at the first NUL), in either character set.
template <typename Source>
inline std::vector<std::string> read_strings(const Source& source, const H5::DataSpace& space) {
  std::vector<std::string> values;
  const hssize_t count = space.getSimpleExtentNpoints();
  if (count == 0) return values;
  if (source.getTypeClass() != H5T_STRING) throw std::runtime_error("expected strings");
  const H5::StrType stored = source.getStrType();
  auto read = [&](void* buffer, const H5::StrType& type) {
    if constexpr (std::is_same_v<Source, H5::DataSet>) {
      source.read(buffer, type);
    } else {
      source.read(type, buffer);
    }
  };
  if (!stored.isVariableStr()) {
    const std::size_t size = stored.getSize();
    std::string buffer(size * static_cast<std::size_t>(count), '\0');
    read(buffer.data(), stored);
    for (hssize_t i = 0; i < count; ++i) {
      const std::string field = buffer.substr(static_cast<std::size_t>(i) * size, size);
      values.push_back(field.substr(0, field.find('\0')));
    }
    return values;
  }
  H5::StrType type = text_type();
  type.setCset(stored.getCset());
  std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
  read(pointers.data(), type);
  for (char* pointer : pointers) values.emplace_back(pointer ? pointer : "");
  H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, pointers.data());
  return values;
}

}  // namespace rxflow

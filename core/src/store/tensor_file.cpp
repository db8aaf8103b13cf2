#include "store/tensor_file.h"

#include <filesystem>
#include <stdexcept>

#include "store/hdf5_io.h"

namespace rxflow {

NamedArtifacts read_tensor_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw std::runtime_error(path + ": no such tensor file");
  }
  const h5::Guard guard;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw std::runtime_error(path +
                             ": not an HDF5 file (expected tensors named as in a state_dict)");
  }
  try {
    h5::Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path);
    if (H5Pset_file_locking(access.get(), false, true) < 0) h5::fail(path + ": file access");
    const h5::Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose,
                       path + ": cannot open the tensor file");
    const std::string where = path + ": /";
    NamedArtifacts tensors;
    for (const std::string& name : h5::child_names(file.get(), where)) {
      H5O_info_t info;
      if (H5Oget_info_by_name2(file.get(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        h5::fail(where + name);
      }
      if (info.type != H5O_TYPE_DATASET) continue;
      const h5::Hid dataset = h5::open_dataset(file.get(), name, where);
      const std::string at = where + name;
      const h5::DatasetShape shape = h5::inspect_dataset(dataset.get(), at);
      if (shape.type_class == H5T_STRING && shape.shape.size() == 1) {
        tensors.emplace_back(
            name, Artifact{shape.shape, h5::read_string_values(dataset.get(), shape, at), {}});
        continue;
      }
      if (shape.type_class != H5T_FLOAT && shape.type_class != H5T_INTEGER) {
        throw std::runtime_error(path + ": dataset \"" + name +
                                 "\" is neither numeric nor a list of strings");
      }
      std::vector<double> values(shape.count);
      h5::read_numeric_rows(dataset.get(), shape, H5T_NATIVE_DOUBLE, 0,
                            shape.shape.empty() ? 1 : shape.shape[0], values.data(), at);
      tensors.emplace_back(name, Artifact{shape.shape, std::move(values), {}});
    }
    return tensors;
  } catch (const h5::FormatError& error) {
    throw std::runtime_error(error.what());
  } catch (const h5::Hdf5Error& error) {
    throw std::runtime_error(path + ": cannot read the tensor file (" + error.what() + ")");
  }
}

void write_tensor_file(const std::string& path, const NamedArtifacts& tensors) {
  const h5::Guard guard;
  try {
    h5::Hid file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, path);
    for (const auto& [name, tensor] : tensors) {
      h5::put_artifact_dataset(file.get(), name, tensor, StoreOptions{}, path);
    }
    if (!file.close()) h5::fail(path + ": close");
  } catch (const h5::Hdf5Error& error) {
    throw std::runtime_error(path + ": cannot write the tensor file (" + error.what() + ")");
  }
}

}  // namespace rxflow

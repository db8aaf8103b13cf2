#include "store/tensor_file.h"

#include <H5Cpp.h>

#include <filesystem>
#include <stdexcept>

#include "store/hdf5_strings.h"

namespace rxflow {

NamedArtifacts read_tensor_file(const std::string& path) {
  H5::Exception::dontPrint();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw std::runtime_error(path + ": no such tensor file");
  bool is_hdf5 = false;
  try {
    is_hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
  }
  if (!is_hdf5)
    throw std::runtime_error(path +
                             ": not an HDF5 file (expected tensors named as in a state_dict)");
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    NamedArtifacts tensors;
    for (hsize_t i = 0; i < root.getNumObjs(); ++i) {
      const std::string name = root.getObjnameByIdx(i);
      if (root.childObjType(name) != H5O_TYPE_DATASET) continue;
      const H5::DataSet dataset = root.openDataSet(name);
      const H5T_class_t type_class = dataset.getTypeClass();
      const H5::DataSpace space = dataset.getSpace();
      std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
      if (!dims.empty()) space.getSimpleExtentDims(dims.data());
      if (type_class == H5T_STRING && dims.size() == 1) {
        tensors.emplace_back(name, Artifact{{dims[0]}, read_strings(dataset, space), {}});
        continue;
      }
      if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) {
        throw std::runtime_error(path + ": dataset \"" + name +
                                 "\" is neither numeric nor a list of strings");
      }
      std::vector<double> values(static_cast<std::size_t>(space.getSimpleExtentNpoints()));
      if (!values.empty()) dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
      tensors.emplace_back(name, Artifact{{dims.begin(), dims.end()}, std::move(values), {}});
    }
    return tensors;
  } catch (const H5::Exception& error) {
    throw std::runtime_error(path + ": cannot read the tensor file (" + error.getDetailMsg() + ")");
  }
}

void write_tensor_file(const std::string& path, const NamedArtifacts& tensors) {
  H5::Exception::dontPrint();
  try {
    H5::H5File file(path, H5F_ACC_TRUNC);
    for (const auto& [name, tensor] : tensors) {
      const std::vector<hsize_t> dims(tensor.shape.begin(), tensor.shape.end());
      const H5::DataSpace space = dims.empty()
                                      ? H5::DataSpace(H5S_SCALAR)
                                      : H5::DataSpace(static_cast<int>(dims.size()), dims.data());
      const auto& values = std::get<std::vector<double>>(tensor.values);
      H5::DataSet dataset = file.createDataSet(name, H5::PredType::IEEE_F64LE, space);
      if (!values.empty()) dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
    }
  } catch (const H5::Exception& error) {
    throw std::runtime_error(path + ": cannot write the tensor file (" + error.getDetailMsg() +
                             ")");
  }
}

}  // namespace rxflow

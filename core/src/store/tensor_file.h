// Tensor files: an HDF5 file whose root holds one dataset per tensor, named
// as in a PyTorch state_dict ("0.weight", "1.running_mean", ...). What h5py
// writes from `{name: tensor.numpy()}` and reads back without rxflow
// (docs/pytorch-interop.md). Read with the checks of hdf5_io.h. Safe to
// call from several threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rxflow/artifact.h"

namespace rxflow {

using NamedArtifacts = std::vector<std::pair<std::string, Artifact>>;

// Every dataset at the root in name order: numeric ones as float64, 1-d
// string ones as string lists. Throws std::runtime_error naming the file:
// missing, not HDF5, or a dataset of another kind or a broken one.
NamedArtifacts read_tensor_file(const std::string& path);
void write_tensor_file(const std::string& path, const NamedArtifacts& tensors);

}  // namespace rxflow

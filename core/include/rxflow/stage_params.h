// StageParams: what a stage's plugin knows of its own configuration, both
// when the plan is checked (PlanCheck) and when the stage runs
// (StageContext): its id, its validated parameters, its rows, and the files
// its file parameters name. Owned by the engine; valid only during the call
// it is passed to; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rxflow/artifact.h"
#include "rxflow/param.h"

namespace rxflow {

class StageParams {
 public:
  virtual ~StageParams() = default;

  virtual const std::string& stage_id() const = 0;

  // Parameter accessors. REQUIRES: the name is in the plugin's schema with
  // the matching type (the engine validated the value against it).
  virtual std::int64_t param_int(std::string_view name) const = 0;
  virtual double param_float(std::string_view name) const = 0;
  virtual bool param_bool(std::string_view name) const = 0;
  // Also reads a kFile parameter: the path as written.
  virtual const std::string& param_string(std::string_view name) const = 0;
  virtual const std::vector<double>& param_float_list(std::string_view name) const = 0;
  virtual const std::vector<std::string>& param_string_list(std::string_view name) const = 0;
  // Contents of the file named by a kFile parameter; its SHA-256 was
  // recorded in the run's identity when the plan was made.
  virtual std::string read_file_param(std::string_view name) const = 0;
  // The tensors of the HDF5 file named by a kFile parameter (root datasets
  // named as in a PyTorch state_dict, read as float64; 1-d datasets of
  // variable-length strings as string lists).
  virtual std::vector<std::pair<std::string, Artifact>> read_tensor_file_param(
      std::string_view name) const = 0;

  // The stage's rows ([[stage.rows]]), validated against the plugin's
  // row_schema; empty for a plugin without one.
  virtual const std::vector<ParamRow>& rows() const = 0;
};

}  // namespace rxflow

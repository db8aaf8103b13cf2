// StageContext: everything a running stage may see and do. Its validated
// parameters, its bound inputs, the workflow's requests, its seeded Rng, a
// logger, and emit() for its outputs. A stage never touches the run store,
// files other than its file parameters, or other stages' state.
// Owned by the engine; valid only during Plugin::run; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rxflow/artifact.h"
#include "rxflow/request.h"
#include "rxflow/rng.h"
#include "rxflow/run_info.h"

namespace rxflow {

class StageContext {
 public:
  virtual ~StageContext() = default;

  virtual const std::string& stage_id() const = 0;
  // This stage's seed; the Rng starts from it. Use derive_seed(seed(), key)
  // for draws that must not depend on the order of other draws.
  virtual std::uint64_t seed() const = 0;
  virtual Rng& rng() = 0;

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

  // REQUIRES: port is a declared input; for optional ones check has_input.
  virtual bool has_input(std::string_view port) const = 0;
  virtual const Artifact& input(std::string_view port) const = 0;

  virtual const std::vector<Request>& requests() const = 0;

  virtual const RunInfo& run_info() const = 0;
  // A folder beside the run file, <results>/<workflow>/<run-id>/, created on
  // first call, for files meant for people (reports, images). Nothing in it
  // is part of the run's identity.
  virtual std::string output_dir() = 0;

  // One line for the run's log (kept in the run file, echoed unless quiet).
  virtual void log(std::string_view message) = 0;

  // REQUIRES: port is a declared output not yet emitted; the artifact's
  // dtype and rank match the port.
  virtual void emit(std::string_view port, Artifact artifact) = 0;
};

}  // namespace rxflow

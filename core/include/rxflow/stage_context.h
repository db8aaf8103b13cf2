// StageContext: everything a running stage may see and do: its parameters
// and rows (StageParams), its bound inputs, its seeded Rng, a logger, and
// emit() for its outputs. A stage never touches the run store, files other
// than its file parameters, or other stages' state.
// Owned by the engine; valid only during Plugin::run; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rxflow/artifact.h"
#include "rxflow/rng.h"
#include "rxflow/run_info.h"
#include "rxflow/stage_params.h"

namespace rxflow {

class StageContext : public StageParams {
 public:
  // This stage's seed; the Rng starts from it. Use derive_seed(seed(), key)
  // for draws that must not depend on the order of other draws.
  virtual std::uint64_t seed() const = 0;
  virtual Rng& rng() = 0;

  // REQUIRES: port is a declared input; for optional ones check has_input.
  virtual bool has_input(std::string_view port) const = 0;
  virtual const Artifact& input(std::string_view port) const = 0;

  virtual const RunInfo& run_info() const = 0;
  // A folder for files meant for people (reports, images), created on first
  // call. It becomes <results>/<workflow>/<run-id>/ when the run completes
  // (the engine moves it there after the run file is in place), so link to
  // files in it by relative names. Nothing in it is part of the run's
  // identity.
  virtual std::string output_dir() = 0;

  // One line for the run's log (kept in the run file, echoed unless quiet).
  virtual void log(std::string_view message) = 0;

  // REQUIRES: port is a declared output not yet emitted; the artifact's
  // dtype and rank match the port.
  virtual void emit(std::string_view port, Artifact artifact) = 0;

  // Throws once the run was asked to stop (cancelled in rxflow serve, SIGINT
  // or SIGTERM): the stage then ends as failed, and the run with it, kept as
  // failed with that reason. Long loops call it between steps (a training
  // after each epoch), so that a stop takes effect within one step; until
  // then it is one atomic load. New in kAbiVersion 3 (docs/decisions.md).
  virtual void check_cancelled() const = 0;
};

}  // namespace rxflow

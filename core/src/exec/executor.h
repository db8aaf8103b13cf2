// The executor: runs a Plan's stages in order, hands each one its context,
// hashes and stores every artifact as soon as its stage finishes, and ends
// the run file as complete or failed. Artifacts stay in memory only while a
// later stage still needs them.
#pragma once

#include <ostream>
#include <string>

#include "plan/plan.h"
#include "store/run_store.h"

namespace rxflow {

struct RunOptions {
  std::string results_dir = "results";  // the file goes to <results_dir>/<workflow>/
  bool quiet = false;                   // no progress lines
  StoreOptions store;
  ReplayOrigin replay_of;  // set by rxflow replay
};

struct RunOutcome {
  std::string run_file;
  std::string run_id;
  std::string root_hash;  // complete runs only
  std::string error;      // failed runs only: one line naming stage and plugin
  bool ok = false;
};

// Prints one line per stage (id, plugin, seconds) to progress unless quiet.
// Throws InputError when the run file cannot be created; a failing stage is
// not an exception but an outcome with ok == false and a .failed.h5 file.
RunOutcome execute_plan(const Plan& plan, const RunOptions& options, std::ostream& progress);

}  // namespace rxflow

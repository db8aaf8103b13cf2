// The rxflow commands, as functions of already-parsed arguments, so that
// the CLI (core/cli) only parses and the tests can call them directly.
// Each prints results to out, progress and errors to err, and returns the
// exit code: 0 success, 1 a run failed, 2 bad input. Bad input is reported
// by throwing InputError; the caller prints it and exits 2.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "run_store.h"

namespace rxflow {

struct WorkflowArgs {
  std::string workflow_file;
  std::vector<std::string> overrides;  // "stage.param=value"
  std::optional<std::uint64_t> seed;
  std::vector<std::string> plugin_path;  // extra folders
};

struct RunArgs {
  WorkflowArgs workflow;
  std::string results_dir = "results";
  bool quiet = false;
  StoreOptions store;
};

int command_run(const RunArgs& args, std::ostream& out, std::ostream& err);
int command_validate(const WorkflowArgs& args, std::ostream& out);
int command_plugins(const std::vector<std::string>& plugin_path, std::ostream& out);
int command_describe(const std::string& name, const std::vector<std::string>& plugin_path,
                     std::ostream& out);
int command_show(const std::string& run_file, std::ostream& out);

}  // namespace rxflow

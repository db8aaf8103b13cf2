// Running another program (sbatch, squeue, scancel) and reading what it
// prints: fork and exec with the arguments as given (no shell, so nothing
// in them is interpreted), standard output captured, standard error passed
// through.
#pragma once

#include <string>
#include <vector>

namespace rxflow {

struct CommandResult {
  int exit_code = 0;   // 127: it could not be started; 128 + N: killed by signal N
  std::string output;  // its standard output
};

// REQUIRES: argv is not empty. argv[0] is looked up in PATH.
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace rxflow

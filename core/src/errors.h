// The two ways the engine fails. InputError: the user's input (a workflow
// file, an option, a run file, a plugin library) is wrong; nothing ran, exit
// code 2. RunFailure: a stage failed while running; exit code 1. Both carry
// a message that is complete on one line (where, what was expected, found).
#pragma once

#include <stdexcept>
#include <string>

namespace rxflow {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rxflow

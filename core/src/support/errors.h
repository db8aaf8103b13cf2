// How the engine reports bad input: InputError, a message complete on one
// line (where, what was expected, what was found); nothing ran, exit code 2.
// The message is made one line where it is made: input quoted in it (a key
// or value holding a line break) has its control characters escaped.
// A stage that fails is not an exception to the caller but a run outcome
// (exit code 1, see executor.h).
#pragma once

#include <stdexcept>
#include <string>

#include "support/source_location.h"
#include "support/text_escaping.h"

namespace rxflow {

struct InputError : std::runtime_error {
  explicit InputError(const std::string& message) : std::runtime_error(one_line(message)) {}
};

// Throws InputError "<where>: <message>".
[[noreturn]] inline void fail_at(const SourceLocation& where, const std::string& message) {
  throw InputError(where.to_string() + ": " + message);
}

}  // namespace rxflow

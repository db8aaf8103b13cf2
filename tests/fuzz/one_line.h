// What every fuzz target requires of an error message: one line. A message
// of several lines is printed (so that the finding says what it was) and
// the target aborts, which libFuzzer records as a finding.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rxflow::fuzz {

inline void require_one_line(const char* message) {
  if (std::strchr(message, '\n') == nullptr) return;
  std::fprintf(stderr, "an error message of several lines:\n%s\n", message);
  std::abort();
}

}  // namespace rxflow::fuzz

// Work on untrusted files in child processes. HDF5 1.10 can crash or hang
// inside the library on a damaged file whatever its caller checks; run in a
// child, such a file ends the child, not rxflow, and the caller reports it
// as one line. POSIX fork(); call from a thread that owns the process (no
// other thread of rxflow running at the time).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace rxflow {

struct IsolatedOutcome {
  enum class Kind { kDone, kCrashed, kTimedOut };
  Kind kind = Kind::kDone;
  std::string output;  // what the task returned (kDone)
  std::string reason;  // "signal 11 (Segmentation fault)", "no answer in 60 s"
};

// Runs task(i) for every i in [0, count) in a child process (one child
// for many items, a new one after a crash) and returns each item's outcome
// in order. A crash or an item taking longer than timeout_seconds loses
// that item only. task must not throw.
std::vector<IsolatedOutcome> map_isolated(std::size_t count,
                                          const std::function<std::string(std::size_t)>& task,
                                          double timeout_seconds);

// Runs command in a child process that shares this one's standard streams
// and returns its exit code; a child killed by a signal is reported on
// stderr as "rxflow: <subject>: ..." and gives 2.
int run_isolated(const std::function<int()>& command, const std::string& subject);

}  // namespace rxflow

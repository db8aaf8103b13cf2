// SweepProgress printed for people: one line, rewritten in place on a
// terminal ("\r") and printed once a second elsewhere, with the points
// done, failed and resumed of the total, the rate and the time left; then a
// final line. Serialised by the sweep runner; writes to one stream.
#pragma once

#include <chrono>
#include <ostream>

#include "sweep/sweep_runner.h"

namespace rxflow {

class SweepProgressPrinter {
 public:
  SweepProgressPrinter(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  void update(const SweepRow& row, const SweepProgress& progress);
  void finish(const SweepProgress& progress);

 private:
  void print(const SweepProgress& progress, bool last);

  std::ostream& out_;
  bool terminal_;
  std::chrono::steady_clock::time_point last_print_{};
};

}  // namespace rxflow

// StagePrinter: the CLI's RunObserver. One line per stage (id, plugin,
// seconds), the stages' log lines indented under it, the drawn root seed
// when the workflow gave none, and the run's end. Writes to one stream;
// for one run at a time.
#pragma once

#include <ostream>

#include "exec/run_observer.h"

namespace rxflow {

class StagePrinter final : public RunObserver {
 public:
  explicit StagePrinter(std::ostream& out) : out_(out) {}
  void run_started(const RunStarted& event) override;
  void stage_finished(const StageFinished& event) override;
  void log_line(const LogLine& event) override;
  void run_finished(const RunFinished& event) override;

 private:
  std::ostream& out_;
};

}  // namespace rxflow

#include "commands/stage_printer.h"

#include <iomanip>

namespace rxflow {

void StagePrinter::run_started(const RunStarted& event) {
  if (event.seed_was_drawn) {
    out_ << "root seed " << event.root_seed << " (drawn; pass --seed " << event.root_seed
         << " to repeat)\n";
  }
}

void StagePrinter::stage_finished(const StageFinished& event) {
  if (!event.ok) return;  // the command prints the error
  out_ << "stage " << std::left << std::setw(12) << event.stage << " " << std::setw(24)
       << event.plugin << " ";
  if (event.reused_from.empty()) {
    out_ << std::fixed << std::setprecision(3) << event.seconds << " s\n";
  } else {
    out_ << "reused from run " << event.reused_from << "\n";
  }
}

void StagePrinter::log_line(const LogLine& event) {
  out_ << "  [" << event.stage << "] " << event.text << "\n";
}

void StagePrinter::run_finished(const RunFinished& event) {
  out_ << "run " << event.run_id << " complete in " << std::fixed << std::setprecision(3)
       << event.seconds << " s (store " << event.store_seconds << " s)\n";
}

}  // namespace rxflow

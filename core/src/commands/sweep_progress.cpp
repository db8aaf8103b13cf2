#include "commands/sweep_progress.h"

#include <cstdio>

namespace rxflow {

void SweepProgressPrinter::update(const SweepRow&, const SweepProgress& progress) {
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(200) : std::chrono::seconds(1);
  if (now - last_print_ < interval) return;
  last_print_ = now;
  print(progress, false);
}

void SweepProgressPrinter::finish(const SweepProgress& progress) { print(progress, true); }

void SweepProgressPrinter::print(const SweepProgress& progress, bool last) {
  const std::uint64_t ran = progress.done - progress.resumed;
  const double rate = progress.seconds > 0 ? static_cast<double>(ran) / progress.seconds : 0;
  const std::uint64_t left = progress.total - progress.done;
  char line[200];
  std::snprintf(line, sizeof line,
                "points %llu/%llu done (%llu failed, %llu resumed), %.1f points/s",
                static_cast<unsigned long long>(progress.done),
                static_cast<unsigned long long>(progress.total),
                static_cast<unsigned long long>(progress.failed),
                static_cast<unsigned long long>(progress.resumed), rate);
  out_ << (terminal_ ? "\r" : "") << line;
  if (last) {
    out_ << ", " << static_cast<long long>(progress.seconds + 0.5) << " s in all";
    if (progress.stages_reused > 0) out_ << "; " << progress.stages_reused << " stages reused";
    out_ << "\n";
  } else if (rate > 0) {
    out_ << ", ETA " << static_cast<long long>(static_cast<double>(left) / rate + 0.5) << " s"
         << (terminal_ ? "   " : "\n");
  } else {
    out_ << (terminal_ ? "" : "\n");
  }
  out_.flush();
}

}  // namespace rxflow

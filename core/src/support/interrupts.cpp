#include "support/interrupts.h"

#include <csignal>

namespace rxflow {
namespace {

std::atomic<bool> requested{false};
std::atomic<int> caught{0};

extern "C" void on_interrupt(int number) {
  caught.store(number);
  requested.store(true);
  // The next one of either is not caught: it ends the process.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace

void catch_interrupts() {
  struct sigaction action = {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>& interrupt_requested() { return requested; }

int interrupt_signal() { return caught.load(); }

}  // namespace rxflow

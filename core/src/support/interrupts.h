// SIGINT and SIGTERM during a run or a sweep: the first one asks the work
// to stop (within a stage that checks, as a training does after each epoch;
// else before its next stage), so that what it wrote is kept as failed
// ("interrupted") and no temporary file is left; a second one of either
// ends the process at once, as the signal's default would.
#pragma once

#include <atomic>

namespace rxflow {

// What an interrupted run's file records as its reason.
inline constexpr const char* kInterruptedReason = "interrupted (SIGINT or SIGTERM)";

// Installs the handlers. Call once, before the work starts.
void catch_interrupts();
// Set once a signal came; the executor checks it before each stage.
const std::atomic<bool>& interrupt_requested();
// The signal that came (SIGINT, SIGTERM), 0 while none did.
int interrupt_signal();

}  // namespace rxflow

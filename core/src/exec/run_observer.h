// RunObserver: what a run tells whoever listens while it executes: typed
// events, from the run's start to its end. The CLI prints them as stage
// lines; a sweep counts them; the web app streams them; tests record them.
// Observers only listen: nothing they do changes the run. Events arrive on
// the thread that executes the run, in order; an observer shared by runs on
// several threads synchronises itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rxflow {

struct RunStarted {
  std::string run_id;
  std::string workflow;
  std::uint64_t root_seed = 0;
  bool seed_was_drawn = false;  // neither the file nor --seed gave it
  std::size_t stages = 0;
};

struct StageStarted {
  std::string run_id;
  std::size_t index = 0;  // 0-based, in run order
  std::size_t stages = 0;
  std::string stage;
  std::string plugin;
};

struct StageFinished {
  std::string run_id;
  std::size_t index = 0;
  std::size_t stages = 0;
  std::string stage;
  std::string plugin;
  double seconds = 0;
  bool ok = false;
  std::string error;        // when not ok
  std::string reused_from;  // the run whose outputs were reused, when they were
};

struct LogLine {
  std::string run_id;
  std::string stage;
  std::string text;
};

struct RunFinished {
  std::string run_id;
  std::string run_file;
  std::string root_hash;
  double seconds = 0;
  double store_seconds = 0;
};

struct RunFailed {
  std::string run_id;
  std::string run_file;  // the .failed.h5 kept, or "" when none could be written
  std::string stage;     // "" when the run failed outside a stage
  std::string error;
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void run_started(const RunStarted&) {}
  virtual void stage_started(const StageStarted&) {}
  virtual void stage_finished(const StageFinished&) {}
  virtual void log_line(const LogLine&) {}
  virtual void run_finished(const RunFinished&) {}
  virtual void run_failed(const RunFailed&) {}
};

}  // namespace rxflow

// RunQueue: the runs rxflow serve was asked for, executed one at a time on
// a worker thread of its own, in the order they came, with at most
// `capacity` waiting. Each submission is a job with an id the server makes
// (24 hex digits, random); the job learns its run's id when the run starts
// (the RunRecorder picks it) and follows the run through a RunObserver.
// Cancelling a waiting job drops it; cancelling a running one stops its run
// (within a stage that checks, as a training does after each epoch; else
// before the next stage), and the run is kept as failed ("cancelled"), as
// rxflow run keeps an interrupted one. Every method is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "exec/executor.h"
#include "plan/plan.h"

namespace rxflow {

enum class JobState { kQueued, kRunning, kComplete, kFailed, kCancelled };

// "queued", "running", "complete", "failed", "cancelled".
const char* job_state_name(JobState state);

struct JobStatus {
  std::string job_id;
  JobState state = JobState::kQueued;
  std::size_t waiting_before = 0;  // queued: jobs ahead of it
  std::string run_id;              // once the run started
  std::string run_file;            // once it ended (a .failed.h5 for failed runs)
  std::size_t stages = 0;
  std::size_t stages_done = 0;
  std::string stage;  // the stage running now
  std::string error;  // failed or cancelled: one line
  bool ended() const { return state != JobState::kQueued && state != JobState::kRunning; }
};

class RunQueue {
 public:
  // runs: where and how every run is written (results folder, store options);
  // each job's run gets the tag serve_job = its job id.
  RunQueue(std::size_t capacity, RunOptions runs);
  ~RunQueue();  // shutdown()
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // The new job's id, or nullopt when `capacity` jobs wait already.
  std::optional<std::string> submit(std::shared_ptr<const Plan> plan);
  std::optional<JobStatus> status(const std::string& job_id) const;
  // The job whose run has this id, while this process remembers it.
  std::optional<JobStatus> status_of_run(const std::string& run_id) const;
  // Blocks until the job ended or `limit` passed, and gives its status then
  // (nullopt: no such job). Lets a client wait for a run without polling.
  std::optional<JobStatus> wait_until_ended(const std::string& job_id,
                                            std::chrono::milliseconds limit) const;
  // Jobs not ended, oldest first.
  std::vector<JobStatus> active() const;
  // False when no such job, or it ended already.
  bool cancel(const std::string& job_id);
  // Cancels every job, waits for the running one to stop. Idempotent.
  void shutdown();

 private:
  struct Job;
  class Observer;
  void work();
  JobStatus snapshot(const Job& job) const;  // REQUIRES: mutex_ held

  const std::size_t capacity_;
  const RunOptions runs_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;           // the worker: a job came, or stop
  mutable std::condition_variable ended_;  // waiters: a job ended
  std::deque<std::shared_ptr<Job>> waiting_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // every job remembered
  std::deque<std::string> ended_order_;               // ended jobs, oldest first
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace rxflow

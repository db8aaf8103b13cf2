#include "serve/run_queue.h"

#include <iomanip>
#include <random>
#include <sstream>

#include "exec/stage_runner.h"
#include "support/errors.h"

namespace rxflow {
namespace {

// Ended jobs remembered for their pages; older ones are found by run id in
// the results folder instead.
constexpr std::size_t kEndedJobsKept = 1000;

std::string new_job_id() {
  static std::mutex mutex;
  static std::random_device device;
  const std::lock_guard<std::mutex> lock(mutex);
  std::ostringstream id;
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t word = (std::uint64_t{device()} << 32) ^ device();
    id << std::hex << std::setw(8) << std::setfill('0') << (word & 0xffffffffu);
  }
  return id.str();
}

}  // namespace

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kComplete:
      return "complete";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

struct RunQueue::Job {
  std::string id;
  std::shared_ptr<const Plan> plan;
  std::atomic<bool> cancel{false};
  JobStatus status;  // guarded by the queue's mutex_
};

// Follows one job's run; events arrive on the worker thread.
class RunQueue::Observer final : public RunObserver {
 public:
  Observer(RunQueue& queue, Job& job) : queue_(queue), job_(job) {}
  void run_started(const RunStarted& event) override {
    const std::lock_guard<std::mutex> lock(queue_.mutex_);
    job_.status.run_id = event.run_id;
    job_.status.stages = event.stages;
  }
  void stage_started(const StageStarted& event) override {
    const std::lock_guard<std::mutex> lock(queue_.mutex_);
    job_.status.stage = event.stage;
    job_.status.stages_done = event.index;
  }
  void stage_finished(const StageFinished& event) override {
    const std::lock_guard<std::mutex> lock(queue_.mutex_);
    job_.status.stages_done = event.index + 1;
  }

 private:
  RunQueue& queue_;
  Job& job_;
};

RunQueue::RunQueue(std::size_t capacity, RunOptions runs)
    : capacity_(capacity), runs_(std::move(runs)), worker_([this] { work(); }) {}

RunQueue::~RunQueue() { shutdown(); }

std::optional<std::string> RunQueue::submit(std::shared_ptr<const Plan> plan) {
  auto job = std::make_shared<Job>();
  job->id = new_job_id();
  job->plan = std::move(plan);
  job->status.job_id = job->id;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || waiting_.size() >= capacity_) return std::nullopt;
    waiting_.push_back(job);
    jobs_[job->id] = job;
  }
  wake_.notify_one();
  return job->id;
}

JobStatus RunQueue::snapshot(const Job& job) const {
  JobStatus status = job.status;
  if (status.state == JobState::kQueued) {
    for (const auto& waiting : waiting_) {
      if (waiting.get() == &job) break;
      ++status.waiting_before;
    }
  }
  return status;
}

std::optional<JobStatus> RunQueue::status(const std::string& job_id) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = jobs_.find(job_id);
  if (found == jobs_.end()) return std::nullopt;
  return snapshot(*found->second);
}

std::optional<JobStatus> RunQueue::status_of_run(const std::string& run_id) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, job] : jobs_) {
    if (job->status.run_id == run_id) return snapshot(*job);
  }
  return std::nullopt;
}

std::optional<JobStatus> RunQueue::wait_until_ended(const std::string& job_id,
                                                    std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto found = jobs_.find(job_id);
  if (found == jobs_.end()) return std::nullopt;
  const std::shared_ptr<Job> job = found->second;
  ended_.wait_for(lock, limit, [&] { return job->status.ended() || stopping_; });
  return snapshot(*job);
}

std::vector<JobStatus> RunQueue::active() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<JobStatus> list;
  for (const auto& [id, job] : jobs_) {
    if (job->status.state == JobState::kRunning) list.insert(list.begin(), snapshot(*job));
  }
  for (const auto& job : waiting_) list.push_back(snapshot(*job));
  return list;
}

bool RunQueue::cancel(const std::string& job_id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = jobs_.find(job_id);
  if (found == jobs_.end() || found->second->status.ended()) return false;
  Job& job = *found->second;
  job.cancel = true;
  if (job.status.state == JobState::kQueued) {
    std::erase(waiting_, found->second);
    job.status.state = JobState::kCancelled;
    job.status.error = "cancelled before it started";
    ended_order_.push_back(job.id);
    ended_.notify_all();
  }
  return true;
}

void RunQueue::shutdown() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) job->cancel = true;
  }
  wake_.notify_all();
  ended_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void RunQueue::work() {
  InProcessStageRunner runner;
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = waiting_.front();
      waiting_.pop_front();
      job->status.state = JobState::kRunning;
    }
    RunOptions options = runs_;
    options.cancel = &job->cancel;
    options.cancel_reason = "cancelled";
    options.tags.emplace_back("serve_job", job->id);
    Observer observer(*this, *job);
    RunOutcome outcome;
    std::string error;
    try {
      outcome = execute_plan(*job->plan, options, runner, observer);
      error = outcome.error;
    } catch (const std::exception& thrown) {
      error = one_line(thrown.what());
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    job->status.run_file = outcome.run_file;
    job->status.error = error;
    job->status.stage.clear();
    job->status.state = outcome.ok    ? JobState::kComplete
                        : job->cancel ? JobState::kCancelled
                                      : JobState::kFailed;
    job->plan.reset();
    ended_order_.push_back(job->id);
    while (ended_order_.size() > kEndedJobsKept) {
      jobs_.erase(ended_order_.front());
      ended_order_.pop_front();
    }
    ended_.notify_all();
  }
}

}  // namespace rxflow

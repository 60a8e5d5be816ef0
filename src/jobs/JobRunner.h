// Runs one claimed job to its end: calls the handler with a progress reporter whose writes are
// fenced by the job's lease, then writes the final state — completed, failed, or back to queued
// for a retry with exponential backoff and jitter. Blocks the calling (worker) thread; never
// throws. Time comes from the injected Clock so that deadlines and backoff are tested without
// sleeping.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "core/Clock.h"
#include "core/Metrics.h"
#include "jobs/JobHandler.h"
#include "store/Store.h"

namespace vitarec::jobs {

struct RunnerOptions {
  std::string owner;                      // this worker process's lease owner name
  core::Millis job_timeout{120000};       // per attempt; past it: deadline_exceeded (retryable)
  core::Millis retry_base_delay{1000};    // backoff before attempt n+1: base * 2^(n-1), jittered
  core::Millis retry_max_delay{60000};    // backoff cap
  int finish_write_tries = 5;             // attempts at the final write while the store is down
  core::Millis finish_write_pause{100};   // first pause between them (doubles each time)
  // A stage's progress is stored only when the stage begins at least this long after the job
  // started: a job done sooner goes from 0 to 100 in one write, slower work shows each stage.
  core::Millis progress_min_delay{50};
  core::Millis completed_retention{30LL * 24 * 3600 * 1000};  // then purged (410 Gone)
  core::Millis failed_retention{7LL * 24 * 3600 * 1000};      // failed and cancelled jobs
};

// Shared between the runner and the pool's lease keeper for one running job.
struct ActiveJob {
  explicit ActiveJob(store::Lease l) : lease(std::move(l)) {}
  const store::Lease lease;
  std::atomic<bool> lease_lost{false};      // set by a refused renewal or progress write
  std::atomic<bool> hand_back{false};       // set at shutdown: stop at the next stage, release
  std::atomic<bool> cancel_requested{false};  // the store refused a write: cancellation asked
};

// Time spent per stage (10 understand, 30 candidates, 70 safety, 90 compose) and per attempt,
// measured with the injected clock.
struct RunnerMetrics {
  std::array<core::DurationHistogram, 4> stage;
  core::DurationHistogram attempt;
};

// Records what a refused fenced write means for the job: lease lost, or cancellation asked.
void NoteRefusal(ActiveJob& active, const core::Result<void>& write);

class JobRunner {
 public:
  enum class Outcome {
    kCompleted,
    kFailed,
    kRequeued,          // a retryable failure; the job runs again after its backoff
    kReleased,          // handed back unharmed (shutdown)
    kCancelled,         // stopped at a stage boundary because cancellation was requested
    kLeaseLost,         // another worker owns the job now; nothing was written
    kStoreUnavailable,  // the final write failed; the lease will expire and the job run again
  };

  // `store`, `clock` and `handler` must outlive the runner. Thread-safe: one runner serves all
  // worker threads.
  JobRunner(store::Store& store, core::Clock& clock, JobHandler& handler, RunnerOptions options);

  // `job` must have been claimed with `active.lease`.
  Outcome Run(const store::Job& job, const std::shared_ptr<ActiveJob>& active);

  // Delay before the attempt after `attempt` (1-based), with jitter in [50 %, 100 %].
  core::Millis BackoffDelay(int attempt);

  const RunnerOptions& options() const { return options_; }
  const RunnerMetrics& metrics() const { return metrics_; }

 private:
  Outcome WriteFinish(const std::shared_ptr<ActiveJob>& active, store::Finish finish);

  store::Store& store_;
  core::Clock& clock_;
  JobHandler& handler_;
  const RunnerOptions options_;
  RunnerMetrics metrics_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;  // guarded by rng_mu_
};

std::string_view OutcomeName(JobRunner::Outcome outcome);

}  // namespace vitarec::jobs

// Runs one claimed job to its end, as a coroutine on the job's I/O thread: the pipeline's stages
// in order (CPU stages on a CPU slot, async ones awaited here), each stage's progress written
// fenced by the job's lease, then the final state — completed, failed, or back to queued for a
// retry with exponential backoff and jitter. Never throws. Time comes from the injected Timers,
// so deadlines, backoff and the stages' waits are tested with a fake clock.
//
// Stopping: the job stops as soon as its ActiveJob is interrupted (a lost lease, a cancel
// request, shutdown) or its deadline passes — at once when it is awaiting (its wait is
// cancelled), before the next stage when it is on a CPU slot. A cancelled job is finished as
// cancelled, a handed-back one released to the queue unharmed, one past its deadline failed
// with deadline_exceeded (retryable); a job whose lease was lost writes nothing more.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "async/Timers.h"
#include "jobs/ActiveJob.h"
#include "jobs/CpuPool.h"
#include "jobs/Pipeline.h"
#include "jobs/RuntimeMetrics.h"
#include "store/Store.h"

namespace vitarec::jobs {

struct RunnerOptions {
  std::string owner;                     // this worker process's lease owner name
  core::Millis job_timeout{120000};      // per attempt; past it: deadline_exceeded (retryable)
  core::Millis retry_base_delay{1000};   // backoff before attempt n+1: base * 2^(n-1), jittered
  core::Millis retry_max_delay{60000};   // backoff cap
  int finish_write_tries = 5;            // attempts at the final write while the store is down
  core::Millis finish_write_pause{100};  // first pause between them (doubles each time)
  // A stage's progress is stored only when the stage begins at least this long after the job
  // started: a job done sooner goes from 0 to 100 in one write, slower work shows each stage.
  core::Millis progress_min_delay{50};
  core::Millis completed_retention{30LL * 24 * 3600 * 1000};  // then purged (410 Gone)
  core::Millis failed_retention{7LL * 24 * 3600 * 1000};      // failed and cancelled jobs
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
    kCancelled,         // stopped because cancellation was requested
    kLeaseLost,         // another worker owns the job now; nothing was written
    kStoreUnavailable,  // the final write failed; the lease will expire and the job run again
  };

  // Everything passed must outlive the runner. One runner serves every job of a runtime.
  JobRunner(store::Store& store, async::Timers& timers, CpuPool& cpu, const Pipeline& pipeline,
            RunnerOptions options, RuntimeMetrics& metrics);

  // `job` must have been claimed with `active->lease`; runs on `active->executor`.
  boost::asio::awaitable<Outcome> Run(store::Job job, std::shared_ptr<ActiveJob> active);

  // Delay before the attempt after `attempt` (1-based), with jitter in [50 %, 100 %].
  core::Millis BackoffDelay(int attempt);

  const RunnerOptions& options() const { return options_; }

 private:
  class Attempt;
  boost::asio::awaitable<core::Result<std::string>> RunStages(std::shared_ptr<Attempt> attempt);
  boost::asio::awaitable<core::Result<void>> AwaitStage(std::shared_ptr<Attempt> attempt,
                                                        std::size_t index);
  // The final write for `result`; nullopt when nothing may be written (the lease was lost).
  std::optional<store::Finish> FinishFor(const store::Job& job, const ActiveJob& active,
                                         core::Result<std::string> result);
  boost::asio::awaitable<Outcome> WriteFinish(std::shared_ptr<ActiveJob> active,
                                              store::Finish finish);

  store::Store& store_;
  async::Timers& timers_;
  CpuPool& cpu_;
  const Pipeline& pipeline_;
  const RunnerOptions options_;
  RuntimeMetrics& metrics_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;  // guarded by rng_mu_
};

std::string_view OutcomeName(JobRunner::Outcome outcome);

}  // namespace vitarec::jobs

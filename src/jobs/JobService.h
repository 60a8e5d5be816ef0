// The front door of the job engine for the HTTP layer: accept a validated request as a durable
// job, and read jobs back. Asynchronous like the Store underneath: every method returns at once
// and calls `done` once, on a store thread (post heavier work elsewhere).
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "core/Clock.h"
#include "jobs/Pipeline.h"
#include "store/Store.h"

namespace vitarec::jobs {

struct JobServiceOptions {
  int max_attempts = 3;  // claims per job before it fails for good
  std::int64_t max_active =
      100000;  // queued + running jobs before SubmitWithId answers kBusy; 0: no cap
  core::Millis failed_retention{7LL * 24 * 3600 * 1000};  // expiry of a job cancelled while queued
};

// What a new job is made of, as the HTTP layer accepted it.
struct JobRequest {
  std::string quiz_id;       // preserved as given; may be empty
  std::string category;      // preserved as given; may be empty
  std::string locale;        // picks the job's texts
  std::string request_json;  // the canonical request, read by the pipeline
};

struct SubmitOutcome {
  store::Job job;
  bool created = true;  // false: an earlier job with the same Idempotency-Key is returned
};

class JobService {
 public:
  // `store` and `clock` must outlive the service; `texts` are the pipeline's (queued and
  // cancelled messages).
  JobService(store::Store& store, core::Clock& clock, LifecycleTexts texts,
             JobServiceOptions options);

  // Stores a new queued job for `request` with id `id` (chosen by the caller, so that it can
  // subscribe to changes first), durably, before `done` runs. kBusy (nothing stored) while more
  // than max_active jobs are queued or running. With a non-empty idempotency key already used
  // for the same request, the earlier job comes back (created=false); used for a different
  // request: kConflict. Store errors pass through (kUnavailable when it cannot be written).
  void SubmitWithId(std::string id, JobRequest request, std::string idempotency_key,
                    store::Callback<SubmitOutcome> done);

  // The job, or kNotFound.
  void Get(std::string id, store::Callback<store::Job> done);

  // Puts a failed or cancelled job back to work (kConflict for any other state).
  void Retry(std::string id, store::Callback<store::Job> done);

  // Cancels a queued job at once, or asks a running one to stop (the runtime running it stops
  // it at once, see JobRuntime.h) (kConflict for a final job). Returns the job as changed.
  void Cancel(std::string id, store::Callback<store::Job> done);

  // Succeeds when the store answers (readiness).
  void Ping(store::Callback<void> done);

  // The estimated number of queued + running jobs: the last count (refreshed by SubmitWithId at
  // most every 100 ms) plus the jobs created here since.
  std::int64_t ActiveEstimate() const;

  // Appends the service's metrics (submissions, rejections, store errors, queue depth) and
  // starts a refresh of the queue depth.
  void RenderMetrics(std::string& out);

 private:
  // Starts a count of the active jobs when the last is older than 100 ms (1 s while the estimate
  // is under half the cap).
  void MaybeRefreshActive();

  store::Store& store_;
  core::Clock& clock_;
  const LifecycleTexts texts_;
  const JobServiceOptions options_;
  std::atomic<std::int64_t> active_estimate_{0};
  std::atomic<std::int64_t> active_checked_ms_{0};
  std::mutex count_mu_;                            // orders the application of counts
  std::atomic<std::int64_t> created_at_count_{0};  // submitted_ when the applied count began
  std::atomic<std::uint64_t> submitted_{0};        // new jobs stored (created here)
  std::atomic<std::uint64_t> rejected_busy_{0};    // refused by the queue cap
  std::atomic<std::uint64_t> store_errors_{0};     // operations the store could not do
};

}  // namespace vitarec::jobs

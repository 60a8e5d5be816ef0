#include "jobs/JobService.h"

#include <algorithm>

#include "core/Metrics.h"

namespace vitarec::jobs {

JobService::JobService(store::Store& store, core::Clock& clock, LifecycleTexts texts,
                       JobServiceOptions options)
    : store_(store), clock_(clock), texts_(std::move(texts)), options_(options) {}

std::int64_t JobService::ActiveEstimate() const {
  const auto created = static_cast<std::int64_t>(submitted_.load(std::memory_order_relaxed));
  return active_estimate_.load() + std::max<std::int64_t>(created - created_at_count_.load(), 0);
}

void JobService::MaybeRefreshActive() {
  // Counting walks the queue (O(queued jobs), a few ms with 100,000 of them), so it is done at
  // most every 100 ms, and only every second while the estimate is under half the cap: jobs this
  // process created since the last count are added to the estimate meanwhile, so a small cap is
  // still enforced at once, and other nodes' jobs are seen at the next count.
  const std::int64_t now = core::ToUnixMillis(clock_.Now());
  const bool near_cap = options_.max_active > 0 && ActiveEstimate() * 2 >= options_.max_active;
  const std::int64_t interval = near_cap ? 100 : 1000;
  std::int64_t checked = active_checked_ms_.load();
  if (now - checked < interval || !active_checked_ms_.compare_exchange_strong(checked, now)) return;
  const auto created_before = static_cast<std::int64_t>(submitted_.load());
  store_.CountActive([this, created_before](core::Result<std::int64_t> count) {
    if (!count) return;
    // Jobs created while the count ran may or may not be in it; adding them errs on the full side
    // until the next count. A count that began before the one already applied (a slow store) is
    // dropped.
    std::lock_guard lock(count_mu_);
    if (created_before < created_at_count_.load()) return;
    active_estimate_ = *count;
    created_at_count_ = created_before;
  });
}

void JobService::SubmitWithId(std::string id, JobRequest request, std::string idempotency_key,
                              store::Callback<SubmitOutcome> done) {
  if (options_.max_active > 0) {
    MaybeRefreshActive();
    if (const std::int64_t active = ActiveEstimate(); active >= options_.max_active) {
      rejected_busy_.fetch_add(1, std::memory_order_relaxed);
      return done(core::Fail(
          core::ErrorCode::kBusy,
          "too many recommendations in progress (" + std::to_string(active) + "); retry shortly"));
    }
  }
  store::NewJob job;
  job.id = std::move(id);
  job.progress_message = std::string(texts_.queued.For(request.locale));
  job.quiz_id = std::move(request.quiz_id);
  job.category = std::move(request.category);
  job.locale = std::move(request.locale);
  job.request_json = std::move(request.request_json);
  job.idempotency_key = std::move(idempotency_key);
  job.max_attempts = options_.max_attempts;
  job.created_at = clock_.Now();
  std::string request_json = job.request_json;
  store_.Insert(
      std::move(job), [this, done = std::move(done), request_json = std::move(request_json)](
                          core::Result<store::InsertOutcome> r) {
        if (!r) {
          if (r.error().code == core::ErrorCode::kUnavailable)
            store_errors_.fetch_add(1, std::memory_order_relaxed);
          return done(core::Fail(r.error()));
        }
        if (r->created) submitted_.fetch_add(1, std::memory_order_relaxed);
        if (!r->created && r->job.request_json != request_json) {
          return done(core::Fail(core::ErrorCode::kConflict,
                                 "Idempotency-Key was already used for a different request",
                                 "Idempotency-Key"));
        }
        done(SubmitOutcome{std::move(r->job), r->created});
      });
}

void JobService::Get(std::string id, store::Callback<store::Job> done) {
  store_.Get(std::move(id), [this, done = std::move(done)](core::Result<store::Job> r) {
    if (!r && r.error().code == core::ErrorCode::kUnavailable)
      store_errors_.fetch_add(1, std::memory_order_relaxed);
    done(std::move(r));
  });
}

void JobService::RenderMetrics(std::string& out) {
  active_checked_ms_ = 0;  // make the next refresh happen now
  MaybeRefreshActive();
  core::RenderHeader(out, "vitarec_jobs_submitted_total", "counter", "New jobs accepted (202)");
  core::RenderSample(out, "vitarec_jobs_submitted_total", "",
                     static_cast<double>(submitted_.load()));
  core::RenderHeader(out, "vitarec_jobs_rejected_total", "counter",
                     "Submissions refused because the queue was full");
  core::RenderSample(out, "vitarec_jobs_rejected_total", "reason=\"queue_full\"",
                     static_cast<double>(rejected_busy_.load()));
  core::RenderHeader(out, "vitarec_store_errors_total", "counter",
                     "Submit and status operations the store could not serve (unavailable)");
  core::RenderSample(out, "vitarec_store_errors_total", "",
                     static_cast<double>(store_errors_.load()));
  core::RenderHeader(out, "vitarec_jobs_active", "gauge",
                     "Queued plus running jobs in the store (all nodes), as last counted");
  core::RenderSample(out, "vitarec_jobs_active", "", static_cast<double>(active_estimate_.load()));
}

void JobService::Retry(std::string id, store::Callback<store::Job> done) {
  // The job's locale picks the queued message, so read it first.
  store_.Get(id, [this, id, done = std::move(done)](core::Result<store::Job> job) mutable {
    if (!job) return done(core::Fail(job.error()));
    std::string message(texts_.queued.For(job->locale));
    store_.Retry(std::move(id), clock_.Now(), std::move(message), std::move(done));
  });
}

void JobService::Cancel(std::string id, store::Callback<store::Job> done) {
  store_.Get(id, [this, id, done = std::move(done)](core::Result<store::Job> job) mutable {
    if (!job) return done(core::Fail(job.error()));
    std::string message(texts_.cancelled.For(job->locale));
    const core::TimePoint now = clock_.Now();
    store_.Cancel(std::move(id), now, now + options_.failed_retention, std::move(message),
                  std::move(done));
  });
}

void JobService::Ping(store::Callback<void> done) { store_.Ping(std::move(done)); }

}  // namespace vitarec::jobs

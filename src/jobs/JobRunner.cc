#include "jobs/JobRunner.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "recommend/Stage.h"
#include "store/Blocking.h"

namespace vitarec::jobs {
namespace {

using core::ErrorCode;

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("jobs") ? spdlog::get("jobs") : spdlog::default_logger();
  return logger;
}

std::string_view FailedMessage(std::string_view locale) {
  return locale == "en" ? "The recommendation failed" : "La recomendación falló";
}
std::string_view RetryMessage(std::string_view locale) {
  return locale == "en" ? "Temporary problem; retrying shortly"
                        : "Problema temporal; se reintentará en breve";
}

std::string_view CancelledMessage(std::string_view locale) {
  return locale == "en" ? "Recommendation cancelled" : "Recomendación cancelada";
}

}  // namespace

void NoteRefusal(ActiveJob& active, const core::Result<void>& write) {
  if (write) return;
  if (write.error().code == ErrorCode::kLeaseLost) active.lease_lost = true;
  if (write.error().code == ErrorCode::kCancelled) active.cancel_requested = true;
}

namespace {

// Writes progress without waiting for the commit: the writes of one job are applied in order,
// and a refused write marks the lease lost so that the next Report stops the job.
class FencedReporter final : public ProgressReporter {
 public:
  FencedReporter(store::Store& store, core::Clock& clock, std::shared_ptr<ActiveJob> active,
                 std::string locale, core::TimePoint started, core::Millis timeout,
                 core::Millis min_delay, RunnerMetrics& metrics)
      : metrics_(metrics),
        store_(store),
        clock_(clock),
        active_(std::move(active)),
        locale_(std::move(locale)),
        quiet_until_(started + min_delay),
        deadline_(started + timeout),
        timeout_(timeout) {}

  // Closes the timing of the stage under way (at the next stage or at the end of the work).
  void EndStage(core::TimePoint now) {
    if (stage_index_ >= 0) metrics_.stage[static_cast<std::size_t>(stage_index_)].Record(now - stage_started_);
    stage_index_ = -1;
  }

  core::Result<void> Report(int progress) override {
    const core::TimePoint reported = clock_.Now();
    EndStage(reported);
    stage_index_ = progress >= 90 ? 3 : progress >= 70 ? 2 : progress >= 30 ? 1 : 0;
    stage_started_ = reported;
    if (active_->lease_lost) return core::Fail(ErrorCode::kLeaseLost, "the job's lease was lost");
    if (active_->cancel_requested)
      return core::Fail(ErrorCode::kCancelled, "the recommendation was cancelled");
    if (active_->hand_back)
      return core::Fail(ErrorCode::kCancelled, "the worker is shutting down");
    const core::TimePoint now = clock_.Now();
    if (now >= deadline_) {
      return core::Fail(ErrorCode::kDeadlineExceeded,
                        "the job took longer than its limit of " +
                            std::to_string(timeout_.count() / 1000) + " s");
    }
    if (now < quiet_until_) return {};  // too early for anyone to see it; spare the write
    store_.UpdateProgress(active_->lease, progress,
                          std::string(recommend::ProgressMessage(progress, locale_)), now,
                          [active = active_](core::Result<void> r) { NoteRefusal(*active, r); });
    return {};
  }

 private:
  RunnerMetrics& metrics_;
  int stage_index_ = -1;
  core::TimePoint stage_started_{};
  store::Store& store_;
  core::Clock& clock_;
  const std::shared_ptr<ActiveJob> active_;
  const std::string locale_;
  const core::TimePoint quiet_until_;
  const core::TimePoint deadline_;
  const core::Millis timeout_;
};

}  // namespace

std::string_view OutcomeName(JobRunner::Outcome outcome) {
  switch (outcome) {
    case JobRunner::Outcome::kCompleted: return "completed";
    case JobRunner::Outcome::kFailed: return "failed";
    case JobRunner::Outcome::kRequeued: return "requeued";
    case JobRunner::Outcome::kReleased: return "released";
    case JobRunner::Outcome::kCancelled: return "cancelled";
    case JobRunner::Outcome::kLeaseLost: return "lease_lost";
    case JobRunner::Outcome::kStoreUnavailable: return "store_unavailable";
  }
  return "unknown";
}

JobRunner::JobRunner(store::Store& store, core::Clock& clock, JobHandler& handler,
                     RunnerOptions options)
    : store_(store),
      clock_(clock),
      handler_(handler),
      options_(std::move(options)),
      rng_(std::random_device{}()) {}

core::Millis JobRunner::BackoffDelay(int attempt) {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const double full = std::min(static_cast<double>(options_.retry_base_delay.count()) *
                                   static_cast<double>(1LL << doublings),
                               static_cast<double>(options_.retry_max_delay.count()));
  std::lock_guard lock(rng_mu_);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return core::Millis(static_cast<std::int64_t>(full * jitter(rng_)));
}

JobRunner::Outcome JobRunner::Run(const store::Job& job, const std::shared_ptr<ActiveJob>& active) {
  const core::TimePoint started = clock_.Now();
  if (active->hand_back) {
    return WriteFinish(active, store::Finish{store::Finish::Kind::kReleased, {},
                                             std::string(recommend::ProgressMessage(
                                                 recommend::kProgressQueued, job.locale)),
                                             std::nullopt, {}});
  }
  FencedReporter reporter(store_, clock_, active, job.locale, started, options_.job_timeout,
                          options_.progress_min_delay, metrics_);
  core::Result<std::string> result = core::Fail(ErrorCode::kInternal, "not run");
  try {
    result = handler_.Run(job, reporter);
  } catch (const std::exception& e) {
    Log()->error("job raised id={} attempt={} what=\"{}\"", job.id, job.attempt, e.what());
    result = core::Fail(ErrorCode::kInternal, std::string("unexpected error: ") + e.what());
  } catch (...) {
    Log()->error("job raised id={} attempt={} what=unknown", job.id, job.attempt);
    result = core::Fail(ErrorCode::kInternal, "unexpected error");
  }

  const core::TimePoint work_done = clock_.Now();
  reporter.EndStage(work_done);
  metrics_.attempt.Record(work_done - started);
  store::Finish finish;
  if (result) {
    finish.kind = store::Finish::Kind::kCompleted;
    finish.result_json = std::move(*result);
    finish.progress_message =
        std::string(recommend::ProgressMessage(recommend::kProgressDone, job.locale));
    finish.expires_at = clock_.Now() + options_.completed_retention;
    return WriteFinish(active, std::move(finish));
  }
  const core::Error& error = result.error();
  if (error.code == ErrorCode::kLeaseLost) return Outcome::kLeaseLost;
  if (error.code == ErrorCode::kCancelled && active->cancel_requested) {
    finish.kind = store::Finish::Kind::kCancelled;
    finish.progress_message = std::string(CancelledMessage(job.locale));
    finish.expires_at = clock_.Now() + options_.failed_retention;
    return WriteFinish(active, std::move(finish));
  }
  if (error.code == ErrorCode::kCancelled && active->hand_back) {
    finish.kind = store::Finish::Kind::kReleased;
    finish.progress_message =
        std::string(recommend::ProgressMessage(recommend::kProgressQueued, job.locale));
    return WriteFinish(active, std::move(finish));
  }
  store::JobError job_error{std::string(core::ErrorCodeName(error.code)), error.message,
                            error.Retryable()};
  if (error.Retryable() && job.attempt < job.max_attempts) {
    finish.kind = store::Finish::Kind::kRequeued;
    finish.run_at = clock_.Now() + BackoffDelay(job.attempt);
    finish.progress_message = std::string(RetryMessage(job.locale));
  } else {
    finish.kind = store::Finish::Kind::kFailed;
    finish.progress_message = std::string(FailedMessage(job.locale));
    finish.expires_at = clock_.Now() + options_.failed_retention;
  }
  Log()->warn("job error id={} attempt={} code={} retryable={} message=\"{}\"", job.id,
              job.attempt, job_error.code, job_error.retryable, job_error.message);
  finish.error = std::move(job_error);
  return WriteFinish(active, std::move(finish));
}

JobRunner::Outcome JobRunner::WriteFinish(const std::shared_ptr<ActiveJob>& active,
                                          store::Finish finish) {
  const store::Finish::Kind kind = finish.kind;
  core::Millis pause = options_.finish_write_pause;
  for (int attempt = 1;; ++attempt) {
    auto r = store::Wait<void>([&](auto done) {
      store_.FinishJob(active->lease, finish, clock_.Now(), std::move(done));
    });
    if (r) break;
    if (r.error().code == ErrorCode::kLeaseLost) return Outcome::kLeaseLost;
    if (attempt >= options_.finish_write_tries) {
      Log()->error("job final write failed id={} error=\"{}\"", active->lease.job_id,
                   r.error().message);
      return Outcome::kStoreUnavailable;
    }
    std::this_thread::sleep_for(pause);
    pause *= 2;
  }
  switch (kind) {
    case store::Finish::Kind::kCompleted: return Outcome::kCompleted;
    case store::Finish::Kind::kFailed: return Outcome::kFailed;
    case store::Finish::Kind::kRequeued: return Outcome::kRequeued;
    case store::Finish::Kind::kReleased: return Outcome::kReleased;
    case store::Finish::Kind::kCancelled: return Outcome::kCancelled;
  }
  return Outcome::kFailed;
}

}  // namespace vitarec::jobs

#include "jobs/JobRunner.h"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <optional>
#include <variant>

#include "async/AwaitCallback.h"

namespace vitarec::jobs {
namespace {

namespace asio = boost::asio;
using core::ErrorCode;

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("jobs") ? spdlog::get("jobs") : spdlog::default_logger();
  return logger;
}

}  // namespace

// Note for every coroutine here: g++ 12 may destroy a temporary of a co_await expression twice
// when the expression is in a loop (a shared_ptr argument of a coroutine freed the job's work
// early), so each awaitable is made in a statement of its own and then awaited by name.

void NoteRefusal(ActiveJob& active, const core::Result<void>& write) {
  if (write) return;
  if (write.error().code == ErrorCode::kLeaseLost || write.error().code == ErrorCode::kNotFound)
    active.Interrupt(StopReason::kLeaseLost);
  if (write.error().code == ErrorCode::kCancelled) active.Interrupt(StopReason::kCancelRequested);
}

// One run of one job: what its stages share. Touched by one stage at a time (see JobWork).
class JobRunner::Attempt {
 public:
  Attempt(JobRunner& runner, store::Job j, std::shared_ptr<ActiveJob> a, core::TimePoint started)
      : job(std::move(j)),
        active(std::move(a)),
        deadline(started + runner.options_.job_timeout),
        runner_(runner),
        quiet_until_(started + runner.options_.progress_min_delay) {}

  const store::Job job;
  const std::shared_ptr<ActiveJob> active;
  const core::TimePoint deadline;
  std::unique_ptr<JobWork> work;  // set before the first stage

  // Why the attempt must stop at `now`, or success.
  core::Result<void> Check(core::TimePoint now) const {
    switch (active->stop_reason()) {
      case StopReason::kLeaseLost:
        return core::Fail(ErrorCode::kLeaseLost, "the job's lease was lost");
      case StopReason::kCancelRequested:
        return core::Fail(ErrorCode::kCancelled, "the job was cancelled");
      case StopReason::kHandBack:
        return core::Fail(ErrorCode::kCancelled, "the worker is shutting down");
      case StopReason::kNone:
        break;
    }
    if (now >= deadline) {
      return core::Fail(ErrorCode::kDeadlineExceeded,
                        "the job took longer than its limit of " +
                            std::to_string(runner_.options_.job_timeout.count() / 1000) + " s");
    }
    return {};
  }

  // Ends the timing of the stage under way, begins stage `index` and stores its progress, unless
  // the job shows that value already or began too recently for anyone to see it.
  void BeginStage(std::size_t index, core::TimePoint now) {
    EndStage(now);
    const Stage& stage = runner_.pipeline_.stages()[index];
    stage_ = static_cast<int>(index);
    stage_started_ = now;
    if (stage.progress == declared_progress_) return;
    declared_progress_ = stage.progress;
    if (now < quiet_until_) return;
    active->own_writes_owed.fetch_add(1);
    runner_.store_.UpdateProgress(active->lease, stage.progress,
                                  std::string(stage.message.For(job.locale)), now,
                                  [a = active](core::Result<void> r) {
                                    if (r) return;
                                    a->own_writes_owed.fetch_sub(1);  // no change comes for it
                                    NoteRefusal(*a, r);
                                  });
  }

  void EndStage(core::TimePoint now) {
    if (stage_ >= 0) runner_.metrics_.stage[stage_].Record(now - stage_started_);
    stage_ = -1;
  }

 private:
  JobRunner& runner_;
  const core::TimePoint quiet_until_;
  int declared_progress_ = 0;
  int stage_ = -1;
  core::TimePoint stage_started_{};
};

std::string_view OutcomeName(JobRunner::Outcome outcome) {
  switch (outcome) {
    case JobRunner::Outcome::kCompleted:
      return "completed";
    case JobRunner::Outcome::kFailed:
      return "failed";
    case JobRunner::Outcome::kRequeued:
      return "requeued";
    case JobRunner::Outcome::kReleased:
      return "released";
    case JobRunner::Outcome::kCancelled:
      return "cancelled";
    case JobRunner::Outcome::kLeaseLost:
      return "lease_lost";
    case JobRunner::Outcome::kStoreUnavailable:
      return "store_unavailable";
  }
  return "unknown";
}

JobRunner::JobRunner(store::Store& store, async::Timers& timers, CpuPool& cpu,
                     const Pipeline& pipeline, RunnerOptions options, RuntimeMetrics& metrics)
    : store_(store),
      timers_(timers),
      cpu_(cpu),
      pipeline_(pipeline),
      options_(std::move(options)),
      metrics_(metrics),
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

asio::awaitable<JobRunner::Outcome> JobRunner::Run(store::Job job,
                                                   std::shared_ptr<ActiveJob> active) {
  // An interrupt cancels the job's pending wait; the awaits after it must still run (the final
  // write), so they report cancellation as values, not exceptions.
  co_await asio::this_coro::throw_if_cancelled(false);
  const core::TimePoint started = timers_.clock().Now();
  core::Result<std::string> result = core::Fail(ErrorCode::kCancelled, "not started");
  if (active->stop_reason() == StopReason::kNone) {
    auto attempt = std::make_shared<Attempt>(*this, job, active, started);
    auto stages_run = RunStages(attempt);
    result = co_await std::move(stages_run);
    const core::TimePoint work_done = timers_.clock().Now();
    attempt->EndStage(work_done);
    metrics_.attempt.Record(work_done - started);
  }
  co_await asio::this_coro::reset_cancellation_state();
  co_await asio::this_coro::throw_if_cancelled(false);
  std::optional<store::Finish> finish = FinishFor(job, *active, std::move(result));
  if (!finish) co_return Outcome::kLeaseLost;
  auto final_write = WriteFinish(active, std::move(*finish));
  co_return co_await std::move(final_write);
}

asio::awaitable<core::Result<std::string>> JobRunner::RunStages(std::shared_ptr<Attempt> attempt) {
  auto begun = pipeline_.Begin(attempt->job);
  if (!begun) co_return core::Fail(begun.error());
  attempt->work = std::move(*begun);
  const std::vector<Stage>& stages = pipeline_.stages();
  std::size_t next = 0;
  while (next < stages.size()) {
    if (auto stop = attempt->Check(timers_.clock().Now()); !stop)
      co_return core::Fail(stop.error());
    if (!stages[next].cpu) {
      attempt->BeginStage(next, timers_.clock().Now());
      auto stage_awaited = AwaitStage(attempt, next);
      core::Result<void> awaited = co_await std::move(stage_awaited);
      if (!awaited) co_return core::Fail(awaited.error());
      ++next;
      continue;
    }
    // Consecutive CPU stages share one hand-off to a slot.
    std::size_t end = next;
    while (end < stages.size() && stages[end].cpu) ++end;
    auto cpu_hop = cpu_.Run([this, attempt, first = next, end]() -> core::Result<void> {
      for (std::size_t k = first; k < end; ++k) {
        const core::TimePoint now = timers_.clock().Now();
        if (auto stop = attempt->Check(now); !stop) return stop;
        attempt->BeginStage(k, now);
        try {
          if (auto r = pipeline_.stages()[k].cpu(*attempt->work); !r) return r;
        } catch (const std::exception& e) {
          Log()->error("job raised id={} attempt={} what=\"{}\"", attempt->job.id,
                       attempt->job.attempt, e.what());
          return core::Fail(ErrorCode::kInternal, std::string("unexpected error: ") + e.what());
        }
      }
      return core::Result<void>{};
    });
    core::Result<void> computed = co_await std::move(cpu_hop);
    if (!computed) co_return core::Fail(computed.error());
    next = end;
  }
  co_return attempt->work->Result();
}

asio::awaitable<core::Result<void>> JobRunner::AwaitStage(std::shared_ptr<Attempt> attempt,
                                                          std::size_t index) {
  using namespace asio::experimental::awaitable_operators;
  const Stage& stage = pipeline_.stages()[index];
  metrics_.awaiting.fetch_add(1, std::memory_order_relaxed);
  const auto began = std::chrono::steady_clock::now();
  core::Result<void> result = core::Fail(ErrorCode::kInternal, "not run");
  std::string raised;
  try {
    // The deadline cancels the stage's wait; so does an interrupt of the job (both branches).
    auto stage_or_deadline =
        stage.async(attempt->work.get(), StageIo{&timers_}) || timers_.WaitUntil(attempt->deadline);
    std::variant<core::Result<void>, bool> first = co_await std::move(stage_or_deadline);
    if (first.index() == 0) result = std::move(std::get<0>(first));
  } catch (const std::exception& e) {
    raised = e.what();
  }
  metrics_.awaiting.fetch_sub(1, std::memory_order_relaxed);
  metrics_.await_time.Record(std::chrono::steady_clock::now() - began);
  // An interrupted stage ends with whatever its cancelled wait made of it: the reason wins.
  if (auto stop = attempt->Check(timers_.clock().Now()); !stop) co_return core::Fail(stop.error());
  if (!raised.empty()) {
    Log()->error("job raised id={} attempt={} what=\"{}\"", attempt->job.id, attempt->job.attempt,
                 raised);
    co_return core::Fail(ErrorCode::kInternal, "unexpected error: " + raised);
  }
  co_return result;
}

std::optional<store::Finish> JobRunner::FinishFor(const store::Job& job, const ActiveJob& active,
                                                  core::Result<std::string> result) {
  const LifecycleTexts& texts = pipeline_.texts();
  const core::TimePoint now = timers_.clock().Now();
  store::Finish finish;
  if (result) {  // done despite a late cancel request: the worker has the last word
    finish.kind = store::Finish::Kind::kCompleted;
    finish.result_json = std::move(*result);
    finish.progress_message = std::string(texts.done.For(job.locale));
    finish.expires_at = now + options_.completed_retention;
    return finish;
  }
  switch (active.stop_reason()) {
    case StopReason::kLeaseLost:
      return std::nullopt;
    case StopReason::kCancelRequested:
      finish.kind = store::Finish::Kind::kCancelled;
      finish.progress_message = std::string(texts.cancelled.For(job.locale));
      finish.expires_at = now + options_.failed_retention;
      return finish;
    case StopReason::kHandBack:
      finish.kind = store::Finish::Kind::kReleased;
      finish.progress_message = std::string(texts.queued.For(job.locale));
      return finish;
    case StopReason::kNone:
      break;
  }
  const core::Error& error = result.error();
  if (error.code == ErrorCode::kLeaseLost) return std::nullopt;
  store::JobError job_error{std::string(core::ErrorCodeName(error.code)), error.message,
                            error.Retryable()};
  if (error.Retryable() && job.attempt < job.max_attempts) {
    finish.kind = store::Finish::Kind::kRequeued;
    finish.run_at = now + BackoffDelay(job.attempt);
    finish.progress_message = std::string(texts.retrying.For(job.locale));
  } else {
    finish.kind = store::Finish::Kind::kFailed;
    finish.progress_message = std::string(texts.failed.For(job.locale));
    finish.expires_at = now + options_.failed_retention;
  }
  Log()->warn("job error id={} attempt={} code={} retryable={} message=\"{}\"", job.id, job.attempt,
              job_error.code, job_error.retryable, job_error.message);
  finish.error = std::move(job_error);
  return finish;
}

asio::awaitable<JobRunner::Outcome> JobRunner::WriteFinish(std::shared_ptr<ActiveJob> active,
                                                           store::Finish finish) {
  const store::Finish::Kind kind = finish.kind;
  core::Millis pause = options_.finish_write_pause;
  for (int tries = 1;; ++tries) {
    auto write = [this, &active, &finish](auto done) {
      store_.FinishJob(active->lease, finish, timers_.clock().Now(), std::move(done));
    };
    core::Result<void> written = co_await async::AwaitCallback<void>(write);
    if (written) break;
    if (written.error().code == ErrorCode::kLeaseLost) co_return Outcome::kLeaseLost;
    if (tries >= options_.finish_write_tries) {
      Log()->error("job final write failed id={} error=\"{}\"", active->lease.job_id,
                   written.error().message);
      co_return Outcome::kStoreUnavailable;
    }
    co_await timers_.WaitFor(pause);
    pause *= 2;
  }
  switch (kind) {
    case store::Finish::Kind::kCompleted:
      co_return Outcome::kCompleted;
    case store::Finish::Kind::kFailed:
      co_return Outcome::kFailed;
    case store::Finish::Kind::kRequeued:
      co_return Outcome::kRequeued;
    case store::Finish::Kind::kReleased:
      co_return Outcome::kReleased;
    case store::Finish::Kind::kCancelled:
      co_return Outcome::kCancelled;
  }
  co_return Outcome::kFailed;
}

}  // namespace vitarec::jobs

#include "jobs/JobRuntime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "async/AwaitCallback.h"
#include "core/Thread.h"

namespace vitarec::jobs {
namespace {

namespace asio = boost::asio;

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("jobs") ? spdlog::get("jobs") : spdlog::default_logger();
  return logger;
}

std::vector<std::string> StageNames(const Pipeline& pipeline) {
  std::vector<std::string> names;
  for (const Stage& stage : pipeline.stages()) names.push_back(stage.name);
  return names;
}

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

struct JobRuntime::IoThread {
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(io)};
  std::thread thread;
};

JobRuntime::JobRuntime(store::Store& store, async::Timers& timers, const Pipeline& pipeline,
                       RuntimeOptions options)
    : store_(store),
      timers_(timers),
      pipeline_(pipeline),
      options_(std::move(options)),
      metrics_(StageNames(pipeline)) {}

JobRuntime::~JobRuntime() { Stop(core::Millis(0)); }

asio::io_context& JobRuntime::home() { return io_.front()->io; }

void JobRuntime::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_ || options_.max_inflight <= 0) return;
    started_ = true;
    loops_running_ = 2;
  }
  cpu_ = std::make_unique<CpuPool>(options_.cpu_slots > 0 ? options_.cpu_slots : Cores(),
                                   options_.cpu_nice, metrics_);
  runner_ =
      std::make_unique<JobRunner>(store_, timers_, *cpu_, pipeline_, options_.runner, metrics_);
  const int io_threads = options_.io_threads > 0 ? options_.io_threads : std::min(Cores(), 4);
  for (int i = 0; i < io_threads; ++i) {
    auto t = std::make_unique<IoThread>();
    t->thread = std::thread([io = &t->io] {
      core::NameThisThread("job-io");
      io->run();
    });
    io_.push_back(std::move(t));
  }
  live_ = true;
  wake_pending_ = true;
  Spawn(ClaimLoop(), claim_signal_);
  Spawn(LeaseLoop(), lease_signal_);
}

void JobRuntime::Spawn(asio::awaitable<void> loop, asio::cancellation_signal& signal) {
  // The slot is bound on home()'s thread, where the signal is emitted.
  asio::post(home(), [this, loop = std::move(loop), &signal]() mutable {
    asio::co_spawn(home(), std::move(loop),
                   asio::bind_cancellation_slot(signal.slot(), [this](std::exception_ptr e) {
                     if (e) Log()->error("job runtime loop raised");
                     std::lock_guard lock(mu_);
                     --loops_running_;
                     idle_cv_.notify_all();
                   }));
  });
}

void JobRuntime::Emit(asio::cancellation_signal& signal) {
  asio::post(home(), [&signal] { signal.emit(asio::cancellation_type::terminal); });
}

void JobRuntime::Wake() {
  if (!live_) return;
  wake_pending_ = true;
  if (wake_posted_.exchange(true)) return;
  asio::post(home(), [this] {
    wake_posted_ = false;
    claim_signal_.emit(asio::cancellation_type::terminal);
  });
}

asio::awaitable<void> JobRuntime::ClaimLoop() {
  co_await asio::this_coro::throw_if_cancelled(false);
  bool store_down = false;
  while (!stopping_) {
    // A Wake emitted meanwhile cut the last pause short; the next pause must be a full one.
    co_await asio::this_coro::reset_cancellation_state();
    wake_pending_ = false;
    const int free_slots = options_.max_inflight - static_cast<int>(metrics_.in_flight.load());
    bool more = false;
    if (free_slots > 0) {
      const core::TimePoint now = timers_.clock().Now();
      store::ClaimOptions claim{options_.runner.owner, std::min(free_slots, options_.claim_batch),
                                now, options_.lease_duration,
                                now + options_.runner.failed_retention};
      auto start_claim = [this, &claim](auto done) { store_.Claim(claim, std::move(done)); };
      auto claimed = co_await async::AwaitCallback<std::vector<store::Job>>(start_claim);
      if (!claimed) {
        metrics_.claim_failures.fetch_add(1, std::memory_order_relaxed);
        if (!store_down) Log()->error("claim failed error=\"{}\"", claimed.error().message);
        store_down = true;
      } else {
        if (store_down) Log()->info("claim recovered");
        store_down = false;
        more = static_cast<int>(claimed->size()) == claim.max_jobs;  // more may be waiting
        for (store::Job& job : *claimed) Launch(std::move(job));
      }
    }
    if (stopping_) break;
    if (!store_down && (more || wake_pending_)) continue;  // a store that is down gets a pause
    co_await timers_.WaitFor(options_.poll_interval);      // cut short by Wake and Stop
  }
  {
    std::lock_guard lock(mu_);
    claim_loop_done_ = true;  // nothing is launched any more
  }
  idle_cv_.notify_all();
}

void JobRuntime::Launch(store::Job job) {
  IoThread& thread = *io_[next_io_++ % io_.size()];
  auto active = std::make_shared<ActiveJob>(job, options_.runner.owner, thread.io.get_executor());
  {
    std::lock_guard lock(mu_);
    in_flight_.emplace(job.id, active);
    metrics_.in_flight.fetch_add(1, std::memory_order_relaxed);
  }
  Log()->debug("job claimed id={} attempt={}", job.id, job.attempt);
  if (stopping_) active->Interrupt(StopReason::kHandBack);  // released without running
  // Spawned from the job's own thread, which is where its signal is emitted.
  asio::post(thread.io, [this, job = std::move(job), active]() mutable {
    asio::co_spawn(active->executor, RunJob(std::move(job), active),
                   asio::bind_cancellation_slot(active->slot(), asio::detached));
  });
}

asio::awaitable<void> JobRuntime::RunJob(store::Job job, std::shared_ptr<ActiveJob> active) {
  const core::TimePoint started = timers_.clock().Now();
  const std::string id = job.id;
  const int attempt = job.attempt;
  auto run = runner_->Run(std::move(job), active);
  const JobRunner::Outcome outcome = co_await std::move(run);
  Log()->info("job finished id={} outcome={} attempt={} ms={}", id, OutcomeName(outcome), attempt,
              (timers_.clock().Now() - started).count());
  Finished(active, outcome);
}

void JobRuntime::Finished(const std::shared_ptr<ActiveJob>& active, JobRunner::Outcome outcome) {
  bool was_full = false;
  bool drained = false;
  {
    std::lock_guard lock(mu_);
    auto [first, last] = in_flight_.equal_range(active->lease.job_id);
    for (auto it = first; it != last; ++it) {
      if (it->second == active) {
        in_flight_.erase(it);
        break;
      }
    }
    switch (outcome) {
      case JobRunner::Outcome::kCompleted:
        ++stats_.completed;
        break;
      case JobRunner::Outcome::kFailed:
        ++stats_.failed;
        break;
      case JobRunner::Outcome::kRequeued:
        ++stats_.requeued;
        break;
      case JobRunner::Outcome::kReleased:
        ++stats_.released;
        break;
      case JobRunner::Outcome::kCancelled:
        ++stats_.cancelled;
        break;
      case JobRunner::Outcome::kLeaseLost:
        ++stats_.lease_lost;
        break;
      case JobRunner::Outcome::kStoreUnavailable:
        ++stats_.store_unavailable;
        break;
    }
    was_full = metrics_.in_flight.fetch_sub(1, std::memory_order_relaxed) >= options_.max_inflight;
    drained = in_flight_.empty();
  }
  idle_cv_.notify_all();  // after stats_ changed: AwaitIdle callers see the outcome counted
  if (was_full) Wake();   // a slot came free
  if (drained && stopping_) Emit(grace_signal_);
}

void JobRuntime::OnChange(const store::JobChange& change) {
  // A cancel request leaves the job running; a final or queued state is someone else's write,
  // which this job's own final write will find out about.
  if (!live_ || change.state != store::JobState::kRunning) return;
  std::vector<std::shared_ptr<ActiveJob>> to_check;
  {
    std::lock_guard lock(mu_);
    auto [first, last] = in_flight_.equal_range(change.id);
    for (auto it = first; it != last; ++it) {
      const std::shared_ptr<ActiveJob>& active = it->second;
      if (change.version <= active->claimed_version) continue;  // the claim's own change
      if (active->TakeOwnWrite()) continue;                     // a progress write of ours
      if (active->checks_wanted.fetch_add(1) != 0) continue;    // the read under way re-reads
      ++checks_running_;
      to_check.push_back(active);
    }
  }
  for (auto& active : to_check) CheckJob(std::move(active));
}

void JobRuntime::CheckJob(std::shared_ptr<ActiveJob> active) {
  metrics_.cancel_checks.fetch_add(1, std::memory_order_relaxed);
  const int wanted = active->checks_wanted.load();
  store_.Get(active->lease.job_id, [this, active, wanted](core::Result<store::Job> job) {
    if (job) {
      const bool ours = job->state == store::JobState::kRunning &&
                        job->lease_owner == active->lease.owner &&
                        job->fence == active->lease.fence;
      if (!ours) active->Interrupt(StopReason::kLeaseLost);
      if (ours && job->cancel_requested) active->Interrupt(StopReason::kCancelRequested);
    } else if (job.error().code == core::ErrorCode::kNotFound ||
               job.error().code == core::ErrorCode::kGone) {
      active->Interrupt(StopReason::kLeaseLost);
    }
    if (active->checks_wanted.fetch_sub(wanted) > wanted) return CheckJob(active);
    // On a store thread, which Stop does not join: notified under the lock, so that Stop (and
    // the destructor after it) cannot run before this callback is done with the runtime.
    std::lock_guard lock(mu_);
    --checks_running_;
    idle_cv_.notify_all();
  });
}

asio::awaitable<void> JobRuntime::LeaseLoop() {
  co_await asio::this_coro::throw_if_cancelled(false);
  while (!leases_stopping_) {
    co_await timers_.WaitFor(options_.lease_duration / 3);  // cut short by Stop
    if (leases_stopping_) break;
    co_await RenewDueLeases();
  }
}

asio::awaitable<void> JobRuntime::RenewDueLeases() {
  const core::TimePoint now = timers_.clock().Now();
  std::vector<store::Lease> leases;
  std::vector<std::shared_ptr<ActiveJob>> jobs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, active] : in_flight_) {
      if (active->renewed_until() - now <= options_.lease_duration * 2 / 3) {
        leases.push_back(active->lease);
        jobs.push_back(active);
      }
    }
  }
  if (leases.empty()) co_return;
  metrics_.renewal_calls.fetch_add(1, std::memory_order_relaxed);
  metrics_.leases_renewed.fetch_add(leases.size(), std::memory_order_relaxed);
  const core::TimePoint until = now + options_.lease_duration;
  auto start_renewal = [this, &leases, now, until](auto done) {
    store_.RenewLeases(std::move(leases), now, until, std::move(done));
  };
  auto renewed = co_await async::AwaitCallback<std::vector<core::Result<void>>>(start_renewal);
  if (!renewed) {
    Log()->warn("lease renewal failed leases={} error=\"{}\"", jobs.size(),
                renewed.error().message);
    co_return;
  }
  for (std::size_t i = 0; i < jobs.size() && i < renewed->size(); ++i) {
    const core::Result<void>& r = (*renewed)[i];
    if (r || r.error().code == core::ErrorCode::kCancelled) jobs[i]->set_renewed_until(until);
    NoteRefusal(*jobs[i], r);
  }
}

asio::awaitable<void> JobRuntime::GraceThenHandBack(core::Millis grace) {
  co_await asio::this_coro::throw_if_cancelled(false);
  bool busy = false;
  {
    std::lock_guard lock(mu_);
    busy = !in_flight_.empty();
  }
  if (busy) co_await timers_.WaitFor(grace);  // cut short when the last job ends
  std::lock_guard lock(mu_);
  for (auto& [id, active] : in_flight_) active->Interrupt(StopReason::kHandBack);
}

void JobRuntime::Stop(core::Millis grace) {
  {
    std::lock_guard lock(mu_);
    if (!started_ || !live_) return;
  }
  stopping_ = true;
  Emit(claim_signal_);
  std::promise<void> graced;
  asio::post(home(), [this, grace, &graced] {
    asio::co_spawn(
        home(), GraceThenHandBack(grace),
        asio::bind_cancellation_slot(grace_signal_.slot(),
                                     [&graced](std::exception_ptr) { graced.set_value(); }));
  });
  graced.get_future().wait();
  {
    // Jobs claimed while stopping are handed back at once (Launch); the leases of the others
    // are renewed until they end.
    std::unique_lock lock(mu_);
    idle_cv_.wait(
        lock, [this] { return claim_loop_done_ && in_flight_.empty() && checks_running_ == 0; });
  }
  leases_stopping_ = true;
  Emit(lease_signal_);
  {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [this] { return loops_running_ == 0; });
  }
  live_ = false;
  for (auto& t : io_) t->work.reset();
  for (auto& t : io_) t->thread.join();
  cpu_.reset();
}

bool JobRuntime::AwaitIdle(core::Millis limit) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, limit, [this] { return in_flight_.empty(); });
}

RuntimeStats JobRuntime::Stats() const {
  std::lock_guard lock(mu_);
  RuntimeStats s = stats_;
  s.in_flight = static_cast<int>(in_flight_.size());
  return s;
}

void JobRuntime::RenderMetrics(std::string& out) const {
  const RuntimeStats s = Stats();
  core::RenderHeader(out, "vitarec_jobs_runs_total", "counter",
                     "Job runs in this process, by how they ended");
  const std::pair<const char*, std::uint64_t> outcomes[] = {
      {"completed", s.completed},
      {"failed", s.failed},
      {"requeued", s.requeued},
      {"released", s.released},
      {"cancelled", s.cancelled},
      {"lease_lost", s.lease_lost},
      {"store_unavailable", s.store_unavailable}};
  for (const auto& [name, n] : outcomes) {
    core::RenderSample(out, "vitarec_jobs_runs_total", std::string("outcome=\"") + name + "\"",
                       static_cast<double>(n));
  }
  core::RenderHeader(out, "vitarec_jobs_retries_total", "counter",
                     "Runs that ended in an automatic retry with backoff");
  core::RenderSample(out, "vitarec_jobs_retries_total", "", static_cast<double>(s.requeued));
  metrics_.Render(out);
}

}  // namespace vitarec::jobs

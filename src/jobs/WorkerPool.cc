#include "jobs/WorkerPool.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "core/Thread.h"
#include "store/Blocking.h"

namespace vitarec::jobs {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("jobs") ? spdlog::get("jobs") : spdlog::default_logger();
  return logger;
}

}  // namespace

WorkerPool::WorkerPool(store::Store& store, core::Clock& clock, JobHandler& handler,
                       WorkerPoolOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      runner_(store, clock, handler, options_.runner) {}

WorkerPool::~WorkerPool() { Stop(core::Millis(0)); }

void WorkerPool::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  wake_ = true;
  dispatcher_ = std::thread([this] { DispatchLoop(); });
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkLoop(); });
}

void WorkerPool::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  dispatch_cv_.notify_one();
}

void WorkerPool::DispatchLoop() {
  core::NameThisThread("job-dispatch");
  core::TimePoint next_renewal = clock_.Now() + options_.lease_duration / 3;
  bool store_down = false;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto free_slots = [this] {
      return options_.workers - static_cast<int>(running_.size() + ready_.size());
    };
    dispatch_cv_.wait_for(lock, options_.poll_interval,
                          [&] { return stopping_ || (wake_ && free_slots() > 0); });
    if (stopping_) break;
    wake_ = false;
    const core::TimePoint now = clock_.Now();
    if (now >= next_renewal) {
      RenewLeases(now);
      next_renewal = now + options_.lease_duration / 3;
    }
    const int want = std::min(free_slots(), options_.claim_batch);
    if (want <= 0) continue;

    lock.unlock();  // the claim waits for a commit; workers and Wake must not wait for it
    store::ClaimOptions claim{options_.runner.owner, want, now, options_.lease_duration,
                              now + options_.runner.failed_retention};
    auto claimed =
        store::Wait<std::vector<store::Job>>([&](auto done) { store_.Claim(claim, done); });
    lock.lock();

    if (!claimed) {
      claim_failures_.fetch_add(1);
      if (!store_down) Log()->error("claim failed error=\"{}\"", claimed.error().message);
      store_down = true;
      continue;
    }
    if (store_down) Log()->info("claim recovered");
    store_down = false;
    for (store::Job& job : *claimed) {
      auto active = std::make_shared<ActiveJob>(
          store::Lease{job.id, options_.runner.owner, job.fence});
      Log()->debug("job claimed id={} attempt={}", job.id, job.attempt);
      ready_.push_back(Claimed{std::move(job), std::move(active)});
    }
    if (static_cast<int>(claimed->size()) == want) wake_ = true;  // more may be waiting
    work_cv_.notify_all();
  }
}

void WorkerPool::RenewLeases(core::TimePoint now) {
  // Called with mu_ held; the store calls return at once.
  const core::TimePoint expires = now + options_.lease_duration;
  for (const auto& entry : running_) {
    std::shared_ptr<ActiveJob> active = entry.second;
    store_.RenewLease(active->lease, now, expires,
                      [active](core::Result<void> r) { NoteRefusal(*active, r); });
  }
}

void WorkerPool::WorkLoop() {
  core::NameThisThread("job-worker");
  if (!core::SetThisThreadNice(options_.worker_nice)) {
    Log()->warn("worker priority not lowered nice={} error=\"{}\"", options_.worker_nice,
                  std::strerror(errno));
  }
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
    if (ready_.empty()) return;  // stopping, nothing claimed left to start
    Claimed next = std::move(ready_.front());
    ready_.pop_front();
    if (stopping_) next.active->hand_back = true;  // released without running
    running_.emplace(next.job.id, next.active);
    lock.unlock();

    const auto started = clock_.Now();
    const JobRunner::Outcome outcome = runner_.Run(next.job, next.active);
    Log()->info("job finished id={} outcome={} attempt={} ms={}", next.job.id,
                OutcomeName(outcome), next.job.attempt,
                (clock_.Now() - started).count());

    lock.lock();
    running_.erase(next.job.id);
    Record(outcome);
    idle_cv_.notify_all();
    dispatch_cv_.notify_one();
    wake_ = true;
  }
}

void WorkerPool::Record(JobRunner::Outcome outcome) {
  switch (outcome) {
    case JobRunner::Outcome::kCompleted: ++stats_.completed; break;
    case JobRunner::Outcome::kFailed: ++stats_.failed; break;
    case JobRunner::Outcome::kRequeued: ++stats_.requeued; wake_ = true; break;
    case JobRunner::Outcome::kReleased: ++stats_.released; break;
    case JobRunner::Outcome::kCancelled: ++stats_.cancelled; break;
    case JobRunner::Outcome::kLeaseLost: ++stats_.lease_lost; break;
    case JobRunner::Outcome::kStoreUnavailable: ++stats_.store_unavailable; break;
  }
}

void WorkerPool::Stop(core::Millis grace) {
  std::unique_lock lock(mu_);
  if (!started_) return;
  stopping_ = true;
  for (Claimed& c : ready_) c.active->hand_back = true;
  dispatch_cv_.notify_all();
  work_cv_.notify_all();
  idle_cv_.wait_for(lock, grace, [this] { return running_.empty() && ready_.empty(); });
  for (auto& [id, active] : running_) active->hand_back = true;
  lock.unlock();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (std::thread& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

void WorkerPool::RenderMetrics(std::string& out) const {
  const WorkerPoolStats s = Stats();
  core::RenderHeader(out, "vitarec_jobs_runs_total", "counter",
                     "Job runs in this process, by how they ended");
  const std::pair<const char*, std::uint64_t> outcomes[] = {
      {"completed", s.completed}, {"failed", s.failed},          {"requeued", s.requeued},
      {"released", s.released},   {"cancelled", s.cancelled},    {"lease_lost", s.lease_lost},
      {"store_unavailable", s.store_unavailable}};
  for (const auto& [name, n] : outcomes) {
    core::RenderSample(out, "vitarec_jobs_runs_total", std::string("outcome=\"") + name + "\"",
                       static_cast<double>(n));
  }
  core::RenderHeader(out, "vitarec_jobs_retries_total", "counter",
                     "Runs that ended in an automatic retry with backoff");
  core::RenderSample(out, "vitarec_jobs_retries_total", "", static_cast<double>(s.requeued));
  core::RenderHeader(out, "vitarec_jobs_running", "gauge", "Jobs running in this process");
  core::RenderSample(out, "vitarec_jobs_running", "", s.running);
  core::RenderHeader(out, "vitarec_job_stage_duration_seconds", "histogram",
                     "Time spent in each stage of the recommendation");
  const char* stages[] = {"understand", "candidates", "safety", "compose"};
  for (std::size_t i = 0; i < 4; ++i) {
    runner_.metrics().stage[i].Render(out, "vitarec_job_stage_duration_seconds",
                                      std::string("stage=\"") + stages[i] + "\"");
  }
  core::RenderHeader(out, "vitarec_job_attempt_duration_seconds", "histogram",
                     "Time one run of a job took, without the final write");
  runner_.metrics().attempt.Render(out, "vitarec_job_attempt_duration_seconds", "");
  core::RenderHeader(out, "vitarec_store_claim_failures_total", "counter",
                     "Claims that failed because the store was unavailable");
  core::RenderSample(out, "vitarec_store_claim_failures_total", "",
                     static_cast<double>(claim_failures_.load()));
}

WorkerPoolStats WorkerPool::Stats() const {
  std::lock_guard lock(mu_);
  WorkerPoolStats s = stats_;
  s.running = static_cast<int>(running_.size());
  return s;
}

}  // namespace vitarec::jobs

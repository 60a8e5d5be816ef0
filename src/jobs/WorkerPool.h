// The in-process workers: one dispatcher thread that claims runnable jobs in batches (as many as
// there are free slots) and renews the leases of running jobs, and `workers` threads that run
// them with the JobRunner.
//
// Semantics: a job is claimed only when a slot is free, so nothing claimed waits long in memory.
// The dispatcher claims when woken (Wake: a job was inserted or requeued here) and at least every
// poll_interval (jobs of other nodes, retries whose backoff ended, leases of dead workers that
// expired). Leases are renewed every lease_duration / 3. Stop: no more claims; running jobs get
// `grace` to finish; then they are asked to hand back at their next stage and are released to the
// queue, as are claimed jobs not yet started.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/Clock.h"
#include "jobs/JobRunner.h"

namespace vitarec::jobs {

struct WorkerPoolOptions {
  int workers = 8;                       // concurrent jobs
  int worker_nice = 0;                   // nice value of the worker threads (0: unchanged)
  int claim_batch = 32;                  // most jobs claimed by one store call
  core::Millis poll_interval{500};       // claim at least this often
  core::Millis lease_duration{15000};
  RunnerOptions runner;                  // runner.owner names this process
};

struct WorkerPoolStats {
  std::uint64_t completed = 0, failed = 0, requeued = 0, released = 0, cancelled = 0, lease_lost = 0,
                store_unavailable = 0;
  int running = 0;
};

class WorkerPool {
 public:
  // Everything passed must outlive the pool.
  WorkerPool(store::Store& store, core::Clock& clock, JobHandler& handler,
             WorkerPoolOptions options);
  ~WorkerPool();  // Stop(0) if still running

  void Start();
  // Thread-safe, cheap: asks the dispatcher to claim now.
  void Wake();
  // Blocks until every thread has exited (see the file comment for what happens to jobs).
  void Stop(core::Millis grace);

  WorkerPoolStats Stats() const;
  const RunnerMetrics& runner_metrics() const { return runner_.metrics(); }

  // Appends the pool's metrics (outcomes, running jobs, stage and attempt durations).
  void RenderMetrics(std::string& out) const;

 private:
  struct Claimed {
    store::Job job;
    std::shared_ptr<ActiveJob> active;
  };
  void DispatchLoop();
  void WorkLoop();
  void RenewLeases(core::TimePoint now);
  void Record(JobRunner::Outcome outcome);

  store::Store& store_;
  core::Clock& clock_;
  const WorkerPoolOptions options_;
  JobRunner runner_;

  mutable std::mutex mu_;
  std::condition_variable dispatch_cv_;  // wakes the dispatcher
  std::condition_variable work_cv_;      // wakes workers
  std::condition_variable idle_cv_;      // signals a job finished (Stop waits on it)
  bool wake_ = false;                    // guarded by mu_
  bool stopping_ = false;                // guarded by mu_: no more claims
  bool started_ = false;                 // guarded by mu_
  std::deque<Claimed> ready_;            // guarded by mu_: claimed, not yet started
  std::unordered_map<std::string, std::shared_ptr<ActiveJob>> running_;  // guarded by mu_
  WorkerPoolStats stats_;                // guarded by mu_

  std::atomic<std::uint64_t> claim_failures_{0};
  std::thread dispatcher_;
  std::vector<std::thread> workers_;
};

}  // namespace vitarec::jobs

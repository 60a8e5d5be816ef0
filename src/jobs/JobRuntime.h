// The in-process job runtime: holds up to max_inflight jobs at once, each a coroutine on one of
// `io_threads` io_contexts (one thread each), with CPU stages on `cpu_slots` threads — a job
// that waits (a timer, I/O) holds no thread, so thousands wait on a handful of threads.
//
// Semantics: jobs are claimed only while fewer than max_inflight are in flight, up to
// claim_batch per store call, when woken (Wake: a job was inserted or requeued) and at least
// every poll_interval (jobs of other nodes, retries whose backoff ended, leases of dead workers
// that expired). Every lease_duration / 3, one RenewLeases call renews the leases of every job
// in flight whose lease has at most two thirds of its duration left; a lease the store
// refuses stops its job at once. A change the store publishes for a job in flight here (a
// cancel request, from this node or another) makes the runtime read the job; a cancel request
// or a lease that is not ours any more stops the job at once (ActiveJob::Interrupt). Stop: no
// more claims; jobs in flight get `grace` (on the injected Timers) to finish, with their leases
// still renewed; then every one left is interrupted and handed back to the queue.
#pragma once

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "async/Timers.h"
#include "jobs/ActiveJob.h"
#include "jobs/CpuPool.h"
#include "jobs/JobRunner.h"
#include "jobs/Pipeline.h"
#include "jobs/RuntimeMetrics.h"

namespace vitarec::jobs {

struct RuntimeOptions {
  int max_inflight = 4096;  // jobs in flight in this process (0: no jobs run here)
  int cpu_slots = 0;        // threads for CPU stages; 0: one per core
  int io_threads = 0;       // io_contexts the jobs await on; 0: one per core, at most 4
  int cpu_nice = 0;         // nice value of the CPU slot threads (0: unchanged)
  int claim_batch = 64;     // most jobs claimed by one store call
  core::Millis poll_interval{500};
  core::Millis lease_duration{15000};
  RunnerOptions runner;  // runner.owner names this process
};

struct RuntimeStats {
  std::uint64_t completed = 0, failed = 0, requeued = 0, released = 0, cancelled = 0,
                lease_lost = 0, store_unavailable = 0;
  int in_flight = 0;
};

class JobRuntime {
 public:
  // Everything passed must outlive the runtime.
  JobRuntime(store::Store& store, async::Timers& timers, const Pipeline& pipeline,
             RuntimeOptions options);
  ~JobRuntime();  // Stop(0) if still running

  // Starts the threads and the claiming. Does nothing when max_inflight is 0.
  void Start();
  // Thread-safe, cheap: asks for a claim now.
  void Wake();
  // To be called for every change the store publishes (the store's change listener, any
  // thread, must not block): stops a job in flight here whose cancellation was requested or
  // whose lease is not ours any more.
  void OnChange(const store::JobChange& change);
  // Blocks until every job in flight ended and every thread exited (see the file comment).
  void Stop(core::Millis grace);

  // Blocks until no job is in flight (real time, at most `limit`); false when some still are.
  bool AwaitIdle(core::Millis limit);

  RuntimeStats Stats() const;
  int cpu_slots() const { return cpu_ ? cpu_->slots() : 0; }
  int io_threads() const { return static_cast<int>(io_.size()); }
  // Appends the runtime's metrics (outcomes, jobs in flight and where, stage durations, ...).
  void RenderMetrics(std::string& out) const;

 private:
  struct IoThread;
  // Both loops run on home(); Wake and Stop end the claim loop's pause through claim_signal_,
  // Stop ends the lease loop through lease_signal_.
  boost::asio::awaitable<void> ClaimLoop();
  boost::asio::awaitable<void> LeaseLoop();
  boost::asio::awaitable<void> RenewDueLeases();
  // On home(): waits until nothing is in flight (grace_signal_) or `grace` passed, then
  // interrupts every job left with kHandBack.
  boost::asio::awaitable<void> GraceThenHandBack(core::Millis grace);
  boost::asio::awaitable<void> RunJob(store::Job job, std::shared_ptr<ActiveJob> active);
  void Launch(store::Job job);
  void Finished(const std::shared_ptr<ActiveJob>& active, JobRunner::Outcome outcome);
  // Reads a job in flight after a change of it was published; again while more changes came.
  void CheckJob(std::shared_ptr<ActiveJob> active);
  void Spawn(boost::asio::awaitable<void> loop, boost::asio::cancellation_signal& signal);
  void Emit(boost::asio::cancellation_signal& signal);  // on home()
  boost::asio::io_context& home();

  store::Store& store_;
  async::Timers& timers_;
  const Pipeline& pipeline_;
  const RuntimeOptions options_;
  RuntimeMetrics metrics_;
  std::unique_ptr<CpuPool> cpu_;
  std::unique_ptr<JobRunner> runner_;
  std::vector<std::unique_ptr<IoThread>> io_;  // [0] also runs the claim and lease loops
  std::atomic<bool> live_{false};              // started and the threads not yet stopped
  std::atomic<bool> wake_pending_{false};      // a claim was asked for since the last one began
  std::atomic<bool> wake_posted_{false};       // an emit of claim_signal_ is on its way
  std::atomic<bool> stopping_{false};          // no more claims
  std::atomic<bool> leases_stopping_{false};
  std::uint64_t next_io_ = 0;  // home() only: round robin of the jobs over io_
  // Emitted on home() only.
  boost::asio::cancellation_signal claim_signal_, lease_signal_, grace_signal_;

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;  // a job or loop ended (Stop waits on it)
  bool started_ = false;             // guarded by mu_
  int loops_running_ = 0;            // guarded by mu_
  bool claim_loop_done_ = false;     // guarded by mu_
  int checks_running_ = 0;           // guarded by mu_: CheckJob reads whose callback is owed
  // By job id; a job whose lease expired while it stalled here may be claimed here again.
  std::unordered_multimap<std::string, std::shared_ptr<ActiveJob>> in_flight_;  // guarded by mu_
  RuntimeStats stats_;                                                          // guarded by mu_
};

}  // namespace vitarec::jobs

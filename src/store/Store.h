// The store contract: every durable fact about jobs goes through this interface. SQLite
// (store/sqlite) and PostgreSQL (store/postgres) implement it and pass the same contract tests
// (tests/store); nothing above this layer knows which one it talks to.
//
// Threading: every operation is asynchronous. It returns at once and calls `done` exactly once,
// on a thread owned by the store, after the operation finished: for writes, after the
// transaction holding it committed durably. `done` must be quick and must not block (post heavier
// work elsewhere); it may start further store operations. No operation blocks the caller, so they
// are safe to start from I/O threads. Operations never throw; failures come back as Errors:
//   kNotFound     no job with that id
//   kGone         the job existed but was purged after its retention period (a tombstone remains)
//   kConflict     the operation does not fit the job's state (e.g. retry of a completed job)
//   kLeaseLost    a fenced write whose lease is no longer the job's current, unexpired lease
//   kCancelled    a fenced write to a running job whose cancellation was requested; nothing was
//                 written; the worker should finish the job with Finish::Kind::kCancelled
//   kUnavailable  the database cannot be reached or written (disk full, locked, read-only, down);
//                 nothing of the failed operation was written; retrying later may succeed
//   kInternal     anything else (a bug); logged by the store
// The store must be destroyed only after every callback it owes has run (its destructor waits).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/Error.h"
#include "store/Job.h"

namespace vitarec::store {

template <typename T>
using Callback = std::function<void(core::Result<T>)>;

using ChangeListener = std::function<void(const JobChange&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Called after every committed change to a job (insert included), in commit order for each
  // job, on a store thread. Set it once, before the first operation. It must not block.
  virtual void SetChangeListener(ChangeListener listener) = 0;

  // Stores a new queued job. When `job.idempotency_key` is not empty and a job with that key
  // exists, nothing is written and the existing job comes back with created=false.
  virtual void Insert(NewJob job, Callback<InsertOutcome> done) = 0;

  // The job with this id; kGone when purged (tombstone), else kNotFound.
  virtual void Get(std::string id, Callback<Job> done) = 0;

  // Takes up to options.max_jobs runnable jobs, oldest run_at first: queued ones with
  // run_at <= now, and running ones whose lease expired (their worker died). Each claimed job
  // becomes running with lease_owner=owner, lease_expires_at=now+lease_duration, fence+1,
  // attempt+1. An empty vector when nothing is runnable. Jobs claimed concurrently by other
  // workers (or nodes) are never handed out twice.
  virtual void Claim(ClaimOptions options, Callback<std::vector<Job>> done) = 0;

  // Partial, fenced update: only progress, progress_message, updated_at and version change, and
  // only while `lease` is the job's current lease and unexpired at `now`; otherwise kLeaseLost.
  // kCancelled (nothing written) when a cancellation was requested.
  virtual void UpdateProgress(Lease lease, int progress, std::string message, core::TimePoint now,
                              Callback<void> done) = 0;

  // Extends a current, unexpired lease to `expires_at`; otherwise kLeaseLost; kCancelled (lease
  // still extended) when a cancellation was requested. Changes neither version nor updated_at
  // and publishes no change (nothing visible changed).
  virtual void RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                          Callback<void> done) = 0;

  // RenewLease for many leases in one store call (one transaction): `done` gets one result per
  // lease, in the order given, each what RenewLease would have answered for it (success,
  // kLeaseLost, kNotFound, or kCancelled with the lease still extended). The call as a whole
  // fails (kUnavailable, kInternal; nothing renewed) only when the database cannot be written.
  // An empty `leases` answers an empty vector. The job runtime renews every due lease of a node
  // with one call per lease period, however many jobs are in flight.
  virtual void RenewLeases(std::vector<Lease> leases, core::TimePoint now,
                           core::TimePoint expires_at,
                           Callback<std::vector<core::Result<void>>> done) = 0;

  // Moves a running job out of running as `finish` says, fenced like UpdateProgress (kLeaseLost
  // when the lease is not current, in which case nothing changes). The lease is cleared. Never
  // answers kCancelled: a worker that finishes despite a cancel request has the last word.
  virtual void FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) = 0;

  // Puts a failed or cancelled job back to work: state=queued, run_at=now, attempt=0,
  // progress=0, progress_message as given, error kept as the last error, cancel_requested and
  // expires_at cleared. kConflict for any other state. Returns the job as changed.
  virtual void Retry(std::string id, core::TimePoint now, std::string progress_message,
                     Callback<Job> done) = 0;

  // Cancels a job: a queued one becomes cancelled at once (expires_at as given); a running one
  // gets cancel_requested=true and stays running until its worker notices (its next fenced
  // write answers kCancelled). kConflict for a final job. Returns the job as changed.
  virtual void Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
                      std::string progress_message, Callback<Job> done) = 0;

  // Replaces up to options.limit final jobs whose expires_at <= now by tombstones (so that Get
  // answers kGone), and deletes tombstones older than options.tombstones_before. Returns the
  // number of jobs purged.
  virtual void Purge(PurgeOptions options, Callback<int> done) = 0;

  // The number of queued plus running jobs (for the queue cap). May be slightly stale.
  virtual void CountActive(Callback<std::int64_t> done) = 0;

  // Succeeds when the database answers a trivial query (readiness probe).
  virtual void Ping(Callback<void> done) = 0;

  // Appends the store's metrics in the Prometheus text format (GET /metrics). Any thread.
  virtual void RenderMetrics(std::string& out) = 0;
};

}  // namespace vitarec::store

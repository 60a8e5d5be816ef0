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
//   kLeaseLost    a fenced write whose lease is no longer the job's current, unexpired lease
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

  // The job with this id, or kNotFound.
  virtual void Get(std::string id, Callback<Job> done) = 0;

  // Takes up to options.max_jobs runnable jobs, oldest run_at first: queued ones with
  // run_at <= now, and running ones whose lease expired (their worker died). Each claimed job
  // becomes running with lease_owner=owner, lease_expires_at=now+lease_duration, fence+1,
  // attempt+1. An empty vector when nothing is runnable. Jobs claimed concurrently by other
  // workers (or nodes) are never handed out twice.
  virtual void Claim(ClaimOptions options, Callback<std::vector<Job>> done) = 0;

  // Partial, fenced update: only progress, progress_message, updated_at and version change, and
  // only while `lease` is the job's current lease and unexpired at `now`; otherwise kLeaseLost.
  virtual void UpdateProgress(Lease lease, int progress, std::string message, core::TimePoint now,
                              Callback<void> done) = 0;

  // Extends a current, unexpired lease to `expires_at`; otherwise kLeaseLost.
  virtual void RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                          Callback<void> done) = 0;

  // Moves a running job out of running as `finish` says, fenced like UpdateProgress (kLeaseLost
  // when the lease is not current, in which case nothing changes). The lease is cleared.
  virtual void FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) = 0;

  // Succeeds when the database answers a trivial query (readiness probe).
  virtual void Ping(Callback<void> done) = 0;
};

}  // namespace vitarec::store

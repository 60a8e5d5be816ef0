// The writes of the SQLite store, one function per Store write. Each runs on the writer thread
// inside the writer's open batch transaction and returns what the Store operation answers.
//
// On success a function appends, in order, one JobChange per job it changed. On failure it has
// changed nothing that must be kept: the writer rolls back the operation's savepoint, and on a
// storage fault (kUnavailable) the whole batch.
//
// Fenced writes change a row only `WHERE id AND state='running' AND lease_owner AND fence AND
// lease_expires_at > now` (UpdateProgress also `AND NOT cancel_requested`); when that matches
// nothing they answer kNotFound for an unknown id, kCancelled for a held lease whose job has a
// cancel request, and kLeaseLost otherwise. Every visible change increments `version` and sets
// `updated_at` (a lease renewal is not one).
#pragma once

#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Job.h"
#include "store/LeaseRenewal.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

// Store::Insert. With a non-empty idempotency key already present, writes nothing and answers
// the existing job with created=false.
core::Result<InsertOutcome> WriteInsert(SqliteConnection& db, const NewJob& job,
                                        std::vector<JobChange>& changes);

// Store::Claim. A runnable job whose next attempt would exceed max_attempts becomes failed
// (error max_attempts_exceeded, not retryable) instead of being handed out; further candidates
// are taken in its place.
core::Result<std::vector<Job>> WriteClaim(SqliteConnection& db, const ClaimOptions& options,
                                          std::vector<JobChange>& changes);

// Store::UpdateProgress; `progress` is clamped to 0..100.
core::Result<void> WriteProgress(SqliteConnection& db, const Lease& lease, int progress,
                                 std::string_view message, core::TimePoint now,
                                 std::vector<JobChange>& changes);

// Store::RenewLease, without its kCancelled: answers whether a cancellation was requested (the
// lease is extended either way, so that is a success here). Not a visible change: neither
// version nor updated_at moves and no JobChange is recorded.
core::Result<bool> WriteRenewal(SqliteConnection& db, const Lease& lease, core::TimePoint now,
                                core::TimePoint expires_at);

// Store::RenewLeases: WriteRenewal for each lease, inside the writer's one transaction.
core::Result<RenewalOutcomes> WriteRenewals(SqliteConnection& db, const std::vector<Lease>& leases,
                                            core::TimePoint now, core::TimePoint expires_at);

// Store::FinishJob. kFailed and kRequeued without an error keep the job's last error. The final
// kinds set expires_at and clear cancel_requested; kRequeued and kReleased keep it, so a job
// handed back after a cancel request stops at its next run's first fenced write.
core::Result<void> WriteFinish(SqliteConnection& db, const Lease& lease, const Finish& finish,
                               core::TimePoint now, std::vector<JobChange>& changes);

}  // namespace vitarec::store::sqlite

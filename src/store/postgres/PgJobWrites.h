// The writes of the PostgreSQL store, one function per Store write. Each runs on the writer
// thread inside the writer's open transaction (group commit, see PgWriter.h) and returns what the
// Store operation answers.
//
// On success a function appends, in order, one JobChange per job it visibly changed. A logical
// failure (kNotFound, kGone, kConflict, kLeaseLost, kCancelled) writes nothing. A failed
// statement fails the function with kUnavailable or kInternal, and the writer rolls back.
//
// Fenced writes change a row only `WHERE id AND state='running' AND lease_owner AND fence AND
// lease_expires_at > now` (UpdateProgress also `AND NOT cancel_requested`); when that matches
// nothing they answer kNotFound for an unknown id, kCancelled for a held lease whose job has a
// cancel request, and kLeaseLost otherwise — exactly as the SQLite store (JobWrites.h).
#pragma once

#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Job.h"
#include "store/LeaseRenewal.h"
#include "store/postgres/PgConnection.h"

namespace vitarec::store::postgres {

// Store::Insert; `INSERT ... ON CONFLICT (idempotency_key) DO NOTHING` then the existing job.
core::Result<InsertOutcome> WriteInsert(PgConnection& db, const NewJob& job,
                                        std::vector<JobChange>& changes);

// Store::Claim with `FOR UPDATE SKIP LOCKED`: rows locked by another node's open transaction are
// skipped, never waited for nor handed out twice. A runnable job whose next attempt would
// exceed max_attempts becomes failed (max_attempts_exceeded, expires_at=failed_expires_at).
core::Result<std::vector<Job>> WriteClaim(PgConnection& db, const ClaimOptions& options,
                                          std::vector<JobChange>& changes);

// Store::UpdateProgress; `progress` is clamped to 0..100.
core::Result<void> WriteProgress(PgConnection& db, const Lease& lease, int progress,
                                 const std::string& message, core::TimePoint now,
                                 std::vector<JobChange>& changes);

// Store::RenewLease without its kCancelled: answers whether a cancellation was requested (the
// lease is extended either way). Not a visible change: no version, updated_at nor JobChange.
core::Result<bool> WriteRenewal(PgConnection& db, const Lease& lease, core::TimePoint now,
                                core::TimePoint expires_at);

// Store::RenewLeases in one statement (an UPDATE joined with the unnested leases); only the
// leases it did not renew are looked up one by one, to say why.
core::Result<RenewalOutcomes> WriteRenewals(PgConnection& db, const std::vector<Lease>& leases,
                                            core::TimePoint now, core::TimePoint expires_at);

// Store::FinishJob, as WriteFinish in the SQLite store.
core::Result<void> WriteFinish(PgConnection& db, const Lease& lease, const Finish& finish,
                               core::TimePoint now, std::vector<JobChange>& changes);

// Store::Retry, Store::Cancel and Store::Purge, as in the SQLite store (JobControlWrites.h).
core::Result<Job> WriteRetry(PgConnection& db, const std::string& id, core::TimePoint now,
                             const std::string& progress_message, std::vector<JobChange>& changes);
core::Result<Job> WriteCancel(PgConnection& db, const std::string& id, core::TimePoint now,
                              core::TimePoint expires_at, const std::string& progress_message,
                              std::vector<JobChange>& changes);
core::Result<int> WritePurge(PgConnection& db, const PurgeOptions& options);

}  // namespace vitarec::store::postgres

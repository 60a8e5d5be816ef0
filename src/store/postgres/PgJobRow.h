// The mapping between a Job and a row of the PostgreSQL `jobs` table (see PgMigrations.cc), and
// the reads shared by the reader connections and the writer. Times are unix milliseconds
// (bigint), as in the SQLite store, so both backends compare times identically.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/Error.h"
#include "store/Job.h"
#include "store/postgres/PgConnection.h"

namespace vitarec::store::postgres {

// The columns ReadJob expects, in its order; for SELECT and RETURNING clauses.
inline constexpr std::string_view kJobColumns =
    "id, state, progress, progress_message, quiz_id, category, locale, request_json, "
    "idempotency_key, result_json, error_code, error_message, error_retryable, attempt, "
    "max_attempts, lease_owner, lease_expires_at, fence, run_at, created_at, updated_at, version, "
    "cancel_requested, expires_at";

// The Job in row `row` of `result`, whose columns are kJobColumns. kInternal for an unknown state.
core::Result<Job> ReadJob(const PgResult& result, int row);

// The job with `id`; kGone when only its tombstone remains, else kNotFound.
core::Result<Job> FindJobById(PgConnection& db, const std::string& id);

// kGone when `id` has a tombstone, else kNotFound; another error when that cannot be read.
core::Error MissingJobError(PgConnection& db, const std::string& id);

// The number of queued plus running jobs.
core::Result<std::int64_t> CountActiveJobs(PgConnection& db);

// Succeeds when the server answers a query that reads the jobs table.
core::Result<void> PingDatabase(PgConnection& db);

}  // namespace vitarec::store::postgres

// The mapping between a Job and a row of the `jobs` table (see SqliteMigrations.cc), and the
// reads shared by the reader connections and the writer.
#pragma once

#include <optional>
#include <string_view>

#include "core/Error.h"
#include "store/Job.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteStatement.h"

namespace vitarec::store::sqlite {

// The columns ReadJob expects, in its order; for SELECT and RETURNING clauses.
inline constexpr std::string_view kJobColumns =
    "id, state, progress, progress_message, quiz_id, category, locale, request_json, "
    "idempotency_key, result_json, error_code, error_message, error_retryable, attempt, "
    "max_attempts, lease_owner, lease_expires_at, fence, run_at, created_at, updated_at, version, "
    "cancel_requested, expires_at";

// The Job in the current row of `row`, whose columns are kJobColumns. kInternal when the row
// holds a state this build does not know.
core::Result<Job> ReadJob(const SqliteStatement& row);

// The job with `id`; kGone when only its tombstone remains, else kNotFound.
core::Result<Job> FindJobById(SqliteConnection& db, std::string_view id);

// kGone when `id` has a tombstone (the job was purged), else kNotFound; for the callers that
// found no row. Another error when the tombstone table cannot be read.
core::Error MissingJobError(SqliteConnection& db, std::string_view id);

// The job holding the (non-empty) idempotency key, or nullopt.
core::Result<std::optional<Job>> FindJobByIdempotencyKey(SqliteConnection& db,
                                                         std::string_view key);

// The number of queued plus running jobs.
core::Result<std::int64_t> CountActiveJobs(SqliteConnection& db);

// Succeeds when the database answers a query that reads the jobs table.
core::Result<void> PingDatabase(SqliteConnection& db);

}  // namespace vitarec::store::sqlite

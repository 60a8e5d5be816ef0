// The operator's writes of the SQLite store: retry and cancel of one job, and the retention
// purge. Same contract as JobWrites.h: each runs on the writer thread inside the open batch
// transaction, appends one JobChange per job it visibly changed, and on failure has changed
// nothing that must be kept.
#pragma once

#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Job.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

// Store::Retry. kConflict unless the job is failed or cancelled; kGone for a purged job.
core::Result<Job> WriteRetry(SqliteConnection& db, const std::string& id, core::TimePoint now,
                             const std::string& progress_message, std::vector<JobChange>& changes);

// Store::Cancel. kConflict for a final job; kGone for a purged job.
core::Result<Job> WriteCancel(SqliteConnection& db, const std::string& id, core::TimePoint now,
                              core::TimePoint expires_at, const std::string& progress_message,
                              std::vector<JobChange>& changes);

// Store::Purge: at most options.limit expired final jobs become tombstones (oldest expires_at
// first), then at most as many tombstones older than options.tombstones_before are deleted.
// Publishes no change (a purged job has no state left to report).
core::Result<int> WritePurge(SqliteConnection& db, const PurgeOptions& options);

}  // namespace vitarec::store::sqlite

// Store::Retry, Store::Cancel and Store::Purge on PostgreSQL (declared in PgJobWrites.h).
#include <algorithm>

#include "store/postgres/PgJobRow.h"
#include "store/postgres/PgJobWrites.h"

namespace vitarec::store::postgres {
namespace {

const std::string kCols(kJobColumns);

const PgStatement kRetry{
    "vitarec_retry",
    "UPDATE jobs SET state = 'queued', run_at = $2, attempt = 0, progress = 0, "
    "progress_message = $3, cancel_requested = false, expires_at = 0, updated_at = $2, "
    "version = version + 1 WHERE id = $1 AND state IN ('failed', 'cancelled') RETURNING " +
        kCols};

// SET expressions read the row as it was, so `state` below is the state before the update.
const PgStatement kCancel{"vitarec_cancel",
                          "UPDATE jobs SET "
                          "state = CASE state WHEN 'queued' THEN 'cancelled' ELSE state END, "
                          "cancel_requested = (state = 'running'), "
                          "expires_at = CASE state WHEN 'queued' THEN $3 ELSE expires_at END, "
                          "progress_message = $4, updated_at = $2, version = version + 1 "
                          "WHERE id = $1 AND state IN ('queued', 'running') RETURNING " +
                              kCols};

const PgStatement kStateOf{"vitarec_state_of", "SELECT state FROM jobs WHERE id = $1"};

// Rows another transaction holds are left for the next purge instead of waited for.
const PgStatement kPurge{
    "vitarec_purge",
    "WITH gone AS (DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN "
    "('completed', 'failed', 'cancelled') AND expires_at <= $1 ORDER BY expires_at LIMIT $2 "
    "FOR UPDATE SKIP LOCKED) RETURNING id) "
    "INSERT INTO tombstones (id, purged_at) SELECT id, $1 FROM gone "
    "ON CONFLICT (id) DO UPDATE SET purged_at = EXCLUDED.purged_at"};
const PgStatement kForgetTombstones{
    "vitarec_forget_tombstones",
    "DELETE FROM tombstones WHERE id IN (SELECT id FROM tombstones WHERE purged_at < $1 "
    "ORDER BY purged_at LIMIT $2 FOR UPDATE SKIP LOCKED)"};

core::Result<Job> RunStateChange(PgConnection& db, const PgStatement& statement,
                                 const PgParams& params, const std::string& id,
                                 std::string_view operation, std::vector<JobChange>& changes) {
  auto r = db.Run(statement, params);
  if (!r) return core::Fail(std::move(r.error()));
  if (r->Rows() == 1) {
    auto job = ReadJob(*r, 0);
    if (job) changes.push_back(JobChange{job->id, job->version, job->state});
    return job;
  }
  auto state = db.Run(kStateOf, {Param(id)});
  if (!state) return core::Fail(std::move(state.error()));
  if (state->Rows() == 0) return core::Fail(MissingJobError(db, id));
  return core::Fail(core::ErrorCode::kConflict, "cannot " + std::string(operation) + " job " + id +
                                                    ": it is " + state->Text(0, 0));
}

}  // namespace

core::Result<Job> WriteRetry(PgConnection& db, const std::string& id, core::TimePoint now,
                             const std::string& progress_message, std::vector<JobChange>& changes) {
  return RunStateChange(db, kRetry, {Param(id), Param(now), Param(progress_message)}, id, "retry",
                        changes);
}

core::Result<Job> WriteCancel(PgConnection& db, const std::string& id, core::TimePoint now,
                              core::TimePoint expires_at, const std::string& progress_message,
                              std::vector<JobChange>& changes) {
  return RunStateChange(db, kCancel,
                        {Param(id), Param(now), Param(expires_at), Param(progress_message)}, id,
                        "cancel", changes);
}

core::Result<int> WritePurge(PgConnection& db, const PurgeOptions& options) {
  const int limit = std::max(options.limit, 0);
  auto purged = db.Run(kPurge, {Param(options.now), Param(limit)});
  if (!purged) return core::Fail(std::move(purged.error()));
  auto forgotten =
      db.Run(kForgetTombstones, {Param(options.tombstones_before), Param(std::max(limit, 1))});
  if (!forgotten) return core::Fail(std::move(forgotten.error()));
  return static_cast<int>(purged->AffectedRows());
}

}  // namespace vitarec::store::postgres

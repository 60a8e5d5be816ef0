#include "store/sqlite/JobControlWrites.h"

#include <algorithm>

#include "store/sqlite/JobRow.h"

namespace vitarec::store::sqlite {
namespace {

using core::ErrorCode;
using core::ToUnixMillis;

const std::string kRetry =
    "UPDATE jobs SET state = 'queued', run_at = ?2, attempt = 0, progress = 0, "
    "progress_message = ?3, cancel_requested = 0, expires_at = 0, updated_at = ?2, "
    "version = version + 1 WHERE id = ?1 AND (state = 'failed' OR state = 'cancelled') RETURNING " +
    std::string(kJobColumns);

// SET expressions read the row as it was, so `state` below is the state before the update.
const std::string kCancel =
    "UPDATE jobs SET "
    "state = CASE state WHEN 'queued' THEN 'cancelled' ELSE state END, "
    "cancel_requested = CASE state WHEN 'running' THEN 1 ELSE 0 END, "
    "expires_at = CASE state WHEN 'queued' THEN ?3 ELSE expires_at END, "
    "progress_message = ?4, updated_at = ?2, version = version + 1 "
    "WHERE id = ?1 AND (state = 'queued' OR state = 'running') RETURNING " +
    std::string(kJobColumns);

constexpr std::string_view kStateOf = "SELECT state FROM jobs WHERE id = ?1";

// The WHERE of the partial index jobs_final_by_expiry, term for term, so that it is used.
constexpr std::string_view kExpiredFinal =
    "SELECT id FROM jobs WHERE state <> 'queued' AND state <> 'running' "
    "AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2";
constexpr std::string_view kAddTombstone =
    "INSERT OR REPLACE INTO tombstones (id, purged_at) VALUES (?1, ?2)";
constexpr std::string_view kDeleteJob = "DELETE FROM jobs WHERE id = ?1";
constexpr std::string_view kDeleteOldTombstones =
    "DELETE FROM tombstones WHERE id IN "
    "(SELECT id FROM tombstones WHERE purged_at < ?1 ORDER BY purged_at LIMIT ?2)";

// Steps a bound UPDATE ... RETURNING kJobColumns. On a match records the change and answers the
// job; otherwise kConflict naming the job's state, or MissingJobError.
core::Result<Job> RunStateChange(SqliteConnection& db, SqliteStatement& stmt, const std::string& id,
                                 std::string_view operation, std::vector<JobChange>& changes) {
  auto row = stmt.Step();
  if (!row) return core::Fail(std::move(row.error()));
  if (*row) {
    auto job = ReadJob(stmt);
    if (job) changes.push_back(JobChange{job->id, job->version, job->state});
    return job;
  }
  auto state = db.Prepare(kStateOf);
  if (!state) return core::Fail(std::move(state.error()));
  state->Bind(1, id);
  auto found = state->Step();
  if (!found) return core::Fail(std::move(found.error()));
  if (!*found) return core::Fail(MissingJobError(db, id));
  return core::Fail(ErrorCode::kConflict, "cannot " + std::string(operation) + " job " + id +
                                              ": it is " + state->Text(0));
}

}  // namespace

core::Result<Job> WriteRetry(SqliteConnection& db, const std::string& id, core::TimePoint now,
                             const std::string& progress_message, std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kRetry);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, id).Bind(2, ToUnixMillis(now)).Bind(3, progress_message);
  return RunStateChange(db, *stmt, id, "retry", changes);
}

core::Result<Job> WriteCancel(SqliteConnection& db, const std::string& id, core::TimePoint now,
                              core::TimePoint expires_at, const std::string& progress_message,
                              std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kCancel);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, id)
      .Bind(2, ToUnixMillis(now))
      .Bind(3, ToUnixMillis(expires_at))
      .Bind(4, progress_message);
  return RunStateChange(db, *stmt, id, "cancel", changes);
}

core::Result<int> WritePurge(SqliteConnection& db, const PurgeOptions& options) {
  const int limit = std::max(options.limit, 0);
  std::vector<std::string> expired;
  {
    auto select = db.Prepare(kExpiredFinal);
    if (!select) return core::Fail(std::move(select.error()));
    select->Bind(1, ToUnixMillis(options.now)).Bind(2, limit);
    for (;;) {
      auto row = select->Step();
      if (!row) return core::Fail(std::move(row.error()));
      if (!*row) break;
      expired.push_back(select->Text(0));
    }
  }
  for (const std::string& id : expired) {
    auto tombstone = db.Prepare(kAddTombstone);
    if (!tombstone) return core::Fail(std::move(tombstone.error()));
    tombstone->Bind(1, id).Bind(2, ToUnixMillis(options.now));
    if (auto added = tombstone->Run(); !added) return core::Fail(std::move(added.error()));
    auto remove = db.Prepare(kDeleteJob);
    if (!remove) return core::Fail(std::move(remove.error()));
    remove->Bind(1, id);
    if (auto removed = remove->Run(); !removed) return core::Fail(std::move(removed.error()));
  }
  auto forget = db.Prepare(kDeleteOldTombstones);
  if (!forget) return core::Fail(std::move(forget.error()));
  forget->Bind(1, ToUnixMillis(options.tombstones_before)).Bind(2, std::max(limit, 1));
  if (auto forgotten = forget->Run(); !forgotten) return core::Fail(std::move(forgotten.error()));
  return static_cast<int>(expired.size());
}

}  // namespace vitarec::store::sqlite

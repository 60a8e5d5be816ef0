#include "store/sqlite/JobRow.h"

#include <string>

namespace vitarec::store::sqlite {
namespace {

const std::string kSelectById = "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = ?1";
const std::string kSelectByIdempotencyKey =
    "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE idempotency_key = ?1";

}  // namespace

core::Result<Job> ReadJob(const SqliteStatement& row) {
  Job job;
  job.id = row.Text(0);
  const std::string state = row.Text(1);
  const auto parsed = ParseJobState(state);
  if (!parsed) {
    return core::Fail(core::ErrorCode::kInternal,
                      "job " + job.id + " has an unknown state '" + state + "'");
  }
  job.state = *parsed;
  job.progress = static_cast<int>(row.Int(2));
  job.progress_message = row.Text(3);
  job.quiz_id = row.Text(4);
  job.category = row.Text(5);
  job.locale = row.Text(6);
  job.request_json = row.Text(7);
  job.idempotency_key = row.Text(8);
  job.result_json = row.Text(9);
  if (!row.IsNull(10)) {
    job.error = JobError{row.Text(10), row.Text(11), row.Int(12) != 0};
  }
  job.attempt = static_cast<int>(row.Int(13));
  job.max_attempts = static_cast<int>(row.Int(14));
  job.lease_owner = row.Text(15);
  job.lease_expires_at = core::FromUnixMillis(row.Int(16));
  job.fence = row.Int(17);
  job.run_at = core::FromUnixMillis(row.Int(18));
  job.created_at = core::FromUnixMillis(row.Int(19));
  job.updated_at = core::FromUnixMillis(row.Int(20));
  job.version = row.Int(21);
  job.cancel_requested = row.Int(22) != 0;
  job.expires_at = core::FromUnixMillis(row.Int(23));
  return job;
}

core::Result<Job> FindJobById(SqliteConnection& db, std::string_view id) {
  auto stmt = db.Prepare(kSelectById);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  if (!*row) return core::Fail(MissingJobError(db, id));
  return ReadJob(*stmt);
}

core::Error MissingJobError(SqliteConnection& db, std::string_view id) {
  auto stmt = db.Prepare("SELECT 1 FROM tombstones WHERE id = ?1");
  if (!stmt) return std::move(stmt.error());
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return std::move(row.error());
  if (*row) {
    return core::MakeError(core::ErrorCode::kGone,
                           "job " + std::string(id) + " was purged after its retention period");
  }
  return core::MakeError(core::ErrorCode::kNotFound, "no job with id " + std::string(id));
}

core::Result<std::optional<Job>> FindJobByIdempotencyKey(SqliteConnection& db,
                                                         std::string_view key) {
  auto stmt = db.Prepare(kSelectByIdempotencyKey);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  if (!*row) return std::optional<Job>();
  auto job = ReadJob(*stmt);
  if (!job) return core::Fail(std::move(job.error()));
  return std::optional<Job>(std::move(*job));
}

core::Result<std::int64_t> CountActiveJobs(SqliteConnection& db) {
  // Two counts, each over its partial index.
  auto stmt = db.Prepare(
      "SELECT (SELECT count(*) FROM jobs WHERE state = 'queued') + "
      "(SELECT count(*) FROM jobs WHERE state = 'running')");
  if (!stmt) return core::Fail(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  return *row ? stmt->Int(0) : 0;
}

core::Result<void> PingDatabase(SqliteConnection& db) {
  auto stmt = db.Prepare("SELECT 1 FROM jobs LIMIT 1");
  if (!stmt) return core::Fail(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  return {};
}

}  // namespace vitarec::store::sqlite

#include "store/postgres/PgJobRow.h"

namespace vitarec::store::postgres {
namespace {

const PgStatement kSelectById{"vitarec_job_by_id",
                              "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = $1"};
const PgStatement kTombstoneById{"vitarec_tombstone_by_id",
                                 "SELECT 1 FROM tombstones WHERE id = $1"};
const PgStatement kCountActive{"vitarec_count_active",
                               "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')"};
const PgStatement kPing{"vitarec_ping", "SELECT 1 FROM jobs LIMIT 1"};

}  // namespace

core::Result<Job> ReadJob(const PgResult& r, int row) {
  Job job;
  job.id = r.Text(row, 0);
  const std::string state = r.Text(row, 1);
  const auto parsed = ParseJobState(state);
  if (!parsed) {
    return core::Fail(core::ErrorCode::kInternal,
                      "job " + job.id + " has an unknown state '" + state + "'");
  }
  job.state = *parsed;
  job.progress = static_cast<int>(r.Int(row, 2));
  job.progress_message = r.Text(row, 3);
  job.quiz_id = r.Text(row, 4);
  job.category = r.Text(row, 5);
  job.locale = r.Text(row, 6);
  job.request_json = r.Text(row, 7);
  job.idempotency_key = r.Text(row, 8);
  job.result_json = r.Text(row, 9);
  if (!r.IsNull(row, 10)) {
    job.error = JobError{r.Text(row, 10), r.Text(row, 11), r.Bool(row, 12)};
  }
  job.attempt = static_cast<int>(r.Int(row, 13));
  job.max_attempts = static_cast<int>(r.Int(row, 14));
  job.lease_owner = r.Text(row, 15);
  job.lease_expires_at = core::FromUnixMillis(r.Int(row, 16));
  job.fence = r.Int(row, 17);
  job.run_at = core::FromUnixMillis(r.Int(row, 18));
  job.created_at = core::FromUnixMillis(r.Int(row, 19));
  job.updated_at = core::FromUnixMillis(r.Int(row, 20));
  job.version = r.Int(row, 21);
  job.cancel_requested = r.Bool(row, 22);
  job.expires_at = core::FromUnixMillis(r.Int(row, 23));
  return job;
}

core::Result<Job> FindJobById(PgConnection& db, const std::string& id) {
  auto result = db.Run(kSelectById, {Param(id)});
  if (!result) return core::Fail(std::move(result.error()));
  if (result->Rows() == 0) return core::Fail(MissingJobError(db, id));
  return ReadJob(*result, 0);
}

core::Error MissingJobError(PgConnection& db, const std::string& id) {
  auto result = db.Run(kTombstoneById, {Param(id)});
  if (!result) return std::move(result.error());
  if (result->Rows() > 0) {
    return core::MakeError(core::ErrorCode::kGone,
                           "job " + id + " was purged after its retention period");
  }
  return core::MakeError(core::ErrorCode::kNotFound, "no job with id " + id);
}

core::Result<std::int64_t> CountActiveJobs(PgConnection& db) {
  auto result = db.Run(kCountActive, {});
  if (!result) return core::Fail(std::move(result.error()));
  return result->Int(0, 0);
}

core::Result<void> PingDatabase(PgConnection& db) {
  auto result = db.Run(kPing, {});
  if (!result) return core::Fail(std::move(result.error()));
  return {};
}

}  // namespace vitarec::store::postgres

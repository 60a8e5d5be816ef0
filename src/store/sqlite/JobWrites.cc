#include "store/sqlite/JobWrites.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "store/sqlite/JobRow.h"

namespace vitarec::store::sqlite {
namespace {

using core::ErrorCode;
using core::ToUnixMillis;

// The hot writes have no RETURNING clause: SQLite buffers returned rows in a temporary B-tree
// built and freed per execution, which costs more than reading the row back through an index.
constexpr std::string_view kInsert =
    "INSERT INTO jobs (id, state, progress, progress_message, quiz_id, category, locale, "
    "request_json, idempotency_key, max_attempts, run_at, created_at, updated_at, version) "
    "VALUES (?1, 'queued', 0, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9, 1)";
const std::string kSelectById = "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = ?1";
constexpr std::string_view kVersionAndState = "SELECT version, state FROM jobs WHERE id = ?1";

// The two kinds of runnable rows, each oldest run_at first (insertion order among equals) and
// served by its partial index; ?1 = now, ?2 = how many. Merged in SelectCandidates (a UNION
// ALL with an outer ORDER BY would sort through temporary B-trees on every claim).
constexpr std::string_view kQueuedCandidates =
    "SELECT id, attempt, max_attempts, run_at, rowid FROM jobs "
    "WHERE state = 'queued' AND run_at <= ?1 ORDER BY run_at, rowid LIMIT ?2";
constexpr std::string_view kExpiredLeaseCandidates =
    "SELECT id, attempt, max_attempts, run_at, rowid FROM jobs "
    "WHERE state = 'running' AND lease_expires_at <= ?1 ORDER BY run_at, rowid LIMIT ?2";

constexpr std::string_view kClaimOne =
    "UPDATE jobs SET state = 'running', lease_owner = ?2, lease_expires_at = ?3, "
    "fence = fence + 1, attempt = attempt + 1, updated_at = ?4, version = version + 1 "
    "WHERE id = ?1";

constexpr std::string_view kFailExhausted =
    "UPDATE jobs SET state = 'failed', lease_owner = '', lease_expires_at = 0, "
    "error_code = 'max_attempts_exceeded', error_message = ?2, error_retryable = 0, "
    "expires_at = ?4, updated_at = ?3, version = version + 1 WHERE id = ?1";

// The lease condition of the fenced writes: ?1 id, ?2 owner, ?3 fence, ?4 now. The SET clauses
// use ?5 and up (?10: the new expires_at of a finished job).
constexpr std::string_view kLeaseHeld =
    " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2 AND fence = ?3 AND "
    "lease_expires_at > ?4";
constexpr std::string_view kVisibleChange = ", updated_at = ?4, version = version + 1";
const std::string kFence = std::string(kVisibleChange) + std::string(kLeaseHeld);

// Keeps the last error when ?7 (the new code) is NULL.
constexpr std::string_view kSetErrorUnlessNull =
    ", error_code = COALESCE(?7, error_code), "
    "error_message = CASE WHEN ?7 IS NULL THEN error_message ELSE ?8 END, "
    "error_retryable = CASE WHEN ?7 IS NULL THEN error_retryable ELSE ?9 END";

constexpr std::string_view kClearLease = ", lease_owner = '', lease_expires_at = 0";

constexpr std::string_view kSetFinal = ", expires_at = ?10, cancel_requested = 0";

// Progress never goes back: a job taken again after a crash or a retry starts its stages over,
// but what a client already saw stays the floor (the message still tells the current stage).
const std::string kProgress =
    "UPDATE jobs SET progress = MAX(progress, ?5), progress_message = ?6" +
    std::string(kVisibleChange) + std::string(kLeaseHeld) + " AND cancel_requested = 0";
// Not a visible change: neither version nor updated_at moves.
const std::string kRenew = "UPDATE jobs SET lease_expires_at = ?5" + std::string(kLeaseHeld);
constexpr std::string_view kCancelRequested = "SELECT cancel_requested FROM jobs WHERE id = ?1";
const std::string kComplete =
    "UPDATE jobs SET state = 'completed', progress = 100, result_json = ?5, "
    "progress_message = ?6, error_code = NULL, error_message = '', error_retryable = 0" +
    std::string(kSetFinal) + std::string(kClearLease) + std::string(kFence);
const std::string kFail = "UPDATE jobs SET state = 'failed', progress_message = ?6" +
                          std::string(kSetErrorUnlessNull) + std::string(kSetFinal) +
                          std::string(kClearLease) + std::string(kFence);
const std::string kCancelled = "UPDATE jobs SET state = 'cancelled', progress_message = ?6" +
                               std::string(kSetFinal) + std::string(kClearLease) +
                               std::string(kFence);
const std::string kRequeue =
    "UPDATE jobs SET state = 'queued', run_at = ?5, progress_message = ?6" +
    std::string(kSetErrorUnlessNull) + std::string(kClearLease) + std::string(kFence);
const std::string kRelease =
    "UPDATE jobs SET state = 'queued', run_at = ?4, attempt = MAX(attempt - 1, 0), "
    "progress_message = ?6" +
    std::string(kClearLease) + std::string(kFence);

constexpr std::string_view kLeaseState =
    "SELECT state, lease_owner, fence, lease_expires_at, cancel_requested FROM jobs WHERE id = ?1";

struct Candidate {
  std::string id;
  int attempt;
  int max_attempts;
  std::int64_t run_at;
  std::int64_t rowid;
};

void BindLease(SqliteStatement& stmt, const Lease& lease, core::TimePoint now) {
  stmt.Bind(1, lease.job_id).Bind(2, lease.owner).Bind(3, lease.fence).Bind(4, ToUnixMillis(now));
}

// Why a fenced write matched no row: kNotFound for an unknown id, kCancelled when the lease is
// held but a cancellation was requested, else kLeaseLost.
core::Error FencedMiss(SqliteConnection& db, const Lease& lease, core::TimePoint now) {
  auto stmt = db.Prepare(kLeaseState);
  if (!stmt) return std::move(stmt.error());
  stmt->Bind(1, lease.job_id);
  auto found = stmt->Step();
  if (!found) return std::move(found.error());
  if (!*found) return DiagnoseFencedMiss(lease, now, std::nullopt);
  const std::string state = stmt->Text(0);
  const std::string owner = stmt->Text(1);
  return DiagnoseFencedMiss(lease, now,
                            LeaseState{ParseJobState(state), owner, stmt->Int(2),
                                       core::FromUnixMillis(stmt->Int(3)), stmt->Int(4) != 0});
}

// Records the change of job `id` that was just written (its new version and state).
core::Result<void> RecordChange(SqliteConnection& db, const std::string& id,
                                std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kVersionAndState);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  if (!*row) return core::Fail(ErrorCode::kInternal, "job " + id + " vanished after a write");
  const auto state = ParseJobState(stmt->Text(1));
  changes.push_back(JobChange{id, stmt->Int(0), state.value_or(JobState::kQueued)});
  return {};
}

// Runs a bound fenced UPDATE. On a match records the change; otherwise answers FencedMiss.
core::Result<void> RunFenced(SqliteConnection& db, SqliteStatement& stmt, const Lease& lease,
                             core::TimePoint now, std::vector<JobChange>& changes) {
  if (auto ran = stmt.Run(); !ran) return ran;
  if (db.Changes() == 0) return core::Fail(FencedMiss(db, lease, now));
  return RecordChange(db, lease.job_id, changes);
}

// Appends the rows of a bound candidate query to `out`.
core::Result<void> ReadCandidates(SqliteStatement& stmt, std::vector<Candidate>& out) {
  for (;;) {
    auto row = stmt.Step();
    if (!row) return core::Fail(std::move(row.error()));
    if (!*row) return {};
    out.push_back(Candidate{stmt.Text(0), static_cast<int>(stmt.Int(1)),
                            static_cast<int>(stmt.Int(2)), stmt.Int(3), stmt.Int(4)});
  }
}

core::Result<std::vector<Candidate>> SelectCandidates(SqliteConnection& db, core::TimePoint now,
                                                      int limit) {
  std::vector<Candidate> candidates;
  for (std::string_view sql : {kQueuedCandidates, kExpiredLeaseCandidates}) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return core::Fail(std::move(stmt.error()));
    stmt->Bind(1, ToUnixMillis(now)).Bind(2, limit);
    if (auto read = ReadCandidates(*stmt, candidates); !read) return core::Fail(read.error());
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.run_at, a.rowid) < std::tie(b.run_at, b.rowid);
  });
  if (candidates.size() > static_cast<std::size_t>(limit)) candidates.resize(limit);
  return candidates;
}

core::Result<void> FailExhausted(SqliteConnection& db, const Candidate& candidate,
                                 core::TimePoint now, core::TimePoint expires_at,
                                 std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kFailExhausted);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  const std::string message =
      "the job was started " + std::to_string(candidate.attempt) +
      " times without finishing; attempt " + std::to_string(candidate.attempt + 1) +
      " would exceed max_attempts=" + std::to_string(candidate.max_attempts);
  stmt->Bind(1, candidate.id)
      .Bind(2, message)
      .Bind(3, ToUnixMillis(now))
      .Bind(4, ToUnixMillis(expires_at));
  if (auto ran = stmt->Run(); !ran) return ran;
  return RecordChange(db, candidate.id, changes);
}

// The job in the first row of the bound SELECT `stmt`, just written by this connection.
core::Result<Job> ReadWrittenJob(SqliteStatement& stmt, const std::string& id) {
  auto row = stmt.Step();
  if (!row) return core::Fail(std::move(row.error()));
  if (!*row) return core::Fail(ErrorCode::kInternal, "job " + id + " vanished after a write");
  return ReadJob(stmt);
}

core::Result<Job> ClaimOne(SqliteConnection& db, const std::string& id, const ClaimOptions& options,
                           std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kClaimOne);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  stmt->Bind(1, id)
      .Bind(2, options.owner)
      .Bind(3, ToUnixMillis(options.now + options.lease_duration))
      .Bind(4, ToUnixMillis(options.now));
  if (auto ran = stmt->Run(); !ran) return core::Fail(std::move(ran.error()));
  auto select = db.Prepare(kSelectById);
  if (!select) return core::Fail(std::move(select.error()));
  select->Bind(1, id);
  auto job = ReadWrittenJob(*select, id);
  if (job) changes.push_back(JobChange{job->id, job->version, job->state});
  return job;
}

void BindError(SqliteStatement& stmt, const std::optional<JobError>& error) {
  if (!error) {
    stmt.BindNull(7).BindNull(8).BindNull(9);
    return;
  }
  stmt.Bind(7, error->code).Bind(8, error->message).Bind(9, error->retryable ? 1 : 0);
}

}  // namespace

core::Result<InsertOutcome> WriteInsert(SqliteConnection& db, const NewJob& job,
                                        std::vector<JobChange>& changes) {
  if (!job.idempotency_key.empty()) {
    auto existing = FindJobByIdempotencyKey(db, job.idempotency_key);
    if (!existing) return core::Fail(std::move(existing.error()));
    if (*existing) return InsertOutcome{std::move(**existing), false};
  }
  auto stmt = db.Prepare(kInsert);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  // `job` outlives `stmt`.
  stmt->BindUncopied(1, job.id)
      .BindUncopied(2, job.progress_message)
      .BindUncopied(3, job.quiz_id)
      .BindUncopied(4, job.category)
      .BindUncopied(5, job.locale)
      .BindUncopied(6, job.request_json)
      .Bind(8, job.max_attempts)
      .Bind(9, ToUnixMillis(job.created_at));
  if (job.idempotency_key.empty()) {
    stmt->BindNull(7);
  } else {
    stmt->BindUncopied(7, job.idempotency_key);
  }
  if (auto ran = stmt->Run(); !ran) return core::Fail(std::move(ran.error()));
  // Not read back: the row holds exactly what QueuedJob describes (a contract test compares the
  // two), and reading it costs ~2 µs of the writer's ~17 µs per insert.
  Job inserted = QueuedJob(job);
  changes.push_back(JobChange{inserted.id, inserted.version, inserted.state});
  return InsertOutcome{std::move(inserted), true};
}

core::Result<std::vector<Job>> WriteClaim(SqliteConnection& db, const ClaimOptions& options,
                                          std::vector<JobChange>& changes) {
  std::vector<Job> claimed;
  const std::size_t wanted = static_cast<std::size_t>(std::max(options.max_jobs, 0));
  // Repeats only when exhausted jobs were failed instead of claimed: each pass removes them
  // from the runnable set, so this ends.
  while (claimed.size() < wanted) {
    auto candidates = SelectCandidates(db, options.now, static_cast<int>(wanted - claimed.size()));
    if (!candidates) return core::Fail(std::move(candidates.error()));
    if (candidates->empty()) break;
    bool any_exhausted = false;
    for (const Candidate& candidate : *candidates) {
      if (candidate.attempt + 1 > candidate.max_attempts) {
        any_exhausted = true;
        if (auto failed =
                FailExhausted(db, candidate, options.now, options.failed_expires_at, changes);
            !failed) {
          return core::Fail(std::move(failed.error()));
        }
        continue;
      }
      auto job = ClaimOne(db, candidate.id, options, changes);
      if (!job) return core::Fail(std::move(job.error()));
      claimed.push_back(std::move(*job));
    }
    if (!any_exhausted) break;
  }
  return claimed;
}

core::Result<void> WriteProgress(SqliteConnection& db, const Lease& lease, int progress,
                                 std::string_view message, core::TimePoint now,
                                 std::vector<JobChange>& changes) {
  auto stmt = db.Prepare(kProgress);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  BindLease(*stmt, lease, now);
  stmt->Bind(5, std::clamp(progress, 0, 100)).Bind(6, message);
  return RunFenced(db, *stmt, lease, now, changes);
}

core::Result<bool> WriteRenewal(SqliteConnection& db, const Lease& lease, core::TimePoint now,
                                core::TimePoint expires_at) {
  auto stmt = db.Prepare(kRenew);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  BindLease(*stmt, lease, now);
  stmt->Bind(5, ToUnixMillis(expires_at));
  if (auto ran = stmt->Run(); !ran) return core::Fail(std::move(ran.error()));
  if (db.Changes() == 0) return core::Fail(FencedMiss(db, lease, now));
  auto cancel = db.Prepare(kCancelRequested);
  if (!cancel) return core::Fail(std::move(cancel.error()));
  cancel->Bind(1, lease.job_id);
  auto row = cancel->Step();
  if (!row) return core::Fail(std::move(row.error()));
  return *row && cancel->Int(0) != 0;
}

core::Result<RenewalOutcomes> WriteRenewals(SqliteConnection& db, const std::vector<Lease>& leases,
                                            core::TimePoint now, core::TimePoint expires_at) {
  // One prepared UPDATE per lease: statements are cached and SQLite runs in this thread, so a
  // loop costs what one multi-row statement would, and keeps the per-lease diagnosis.
  RenewalOutcomes outcomes;
  outcomes.reserve(leases.size());
  for (const Lease& lease : leases) {
    RenewalOutcome renewed = WriteRenewal(db, lease, now, expires_at);
    if (!renewed && !IsLeaseAnswer(renewed.error())) return core::Fail(std::move(renewed.error()));
    outcomes.push_back(std::move(renewed));
  }
  return outcomes;
}

core::Result<void> WriteFinish(SqliteConnection& db, const Lease& lease, const Finish& finish,
                               core::TimePoint now, std::vector<JobChange>& changes) {
  const std::string* sql = nullptr;
  switch (finish.kind) {
    case Finish::Kind::kCompleted:
      sql = &kComplete;
      break;
    case Finish::Kind::kFailed:
      sql = &kFail;
      break;
    case Finish::Kind::kRequeued:
      sql = &kRequeue;
      break;
    case Finish::Kind::kReleased:
      sql = &kRelease;
      break;
    case Finish::Kind::kCancelled:
      sql = &kCancelled;
      break;
  }
  if (sql == nullptr) return core::Fail(ErrorCode::kInternal, "unknown finish kind");
  auto stmt = db.Prepare(*sql);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  BindLease(*stmt, lease, now);
  stmt->Bind(6, finish.progress_message);
  switch (finish.kind) {
    case Finish::Kind::kCompleted:
      stmt->Bind(5, finish.result_json).Bind(10, ToUnixMillis(finish.expires_at));
      break;
    case Finish::Kind::kFailed:
      BindError(*stmt, finish.error);
      stmt->Bind(10, ToUnixMillis(finish.expires_at));
      break;
    case Finish::Kind::kCancelled:
      stmt->Bind(10, ToUnixMillis(finish.expires_at));
      break;
    case Finish::Kind::kRequeued:
      stmt->Bind(5, ToUnixMillis(finish.run_at));
      BindError(*stmt, finish.error);
      break;
    case Finish::Kind::kReleased:
      break;
  }
  return RunFenced(db, *stmt, lease, now, changes);
}

}  // namespace vitarec::store::sqlite

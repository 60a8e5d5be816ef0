#include "store/postgres/PgJobWrites.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "store/postgres/PgJobRow.h"

namespace vitarec::store::postgres {
namespace {

using core::ErrorCode;

const std::string kCols(kJobColumns);

const PgStatement kInsert{
    "vitarec_insert",
    "INSERT INTO jobs (id, state, progress, progress_message, quiz_id, category, locale, "
    "request_json, idempotency_key, max_attempts, run_at, created_at, updated_at, version) "
    "VALUES ($1, 'queued', 0, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9, 1) "
    "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING " +
        kCols};
const PgStatement kByIdempotencyKey{"vitarec_job_by_key",
                                    "SELECT " + kCols + " FROM jobs WHERE idempotency_key = $1"};

// Both kinds of runnable rows, oldest run_at first (insertion order among equals); ?1 now,
// ?2 how many. Locked rows are skipped; the rows returned stay locked until the commit.
const PgStatement kQueuedCandidates{
    "vitarec_claim_queued",
    "SELECT id, attempt, max_attempts, run_at, seq FROM jobs WHERE state = 'queued' AND "
    "run_at <= $1 ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED"};
const PgStatement kExpiredCandidates{
    "vitarec_claim_expired",
    "SELECT id, attempt, max_attempts, run_at, seq FROM jobs WHERE state = 'running' AND "
    "lease_expires_at <= $1 ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED"};
const PgStatement kClaim{
    "vitarec_claim",
    "UPDATE jobs SET state = 'running', lease_owner = $2, lease_expires_at = $3, "
    "fence = fence + 1, attempt = attempt + 1, updated_at = $4, version = version + 1 "
    "WHERE id = ANY($1::text[]) RETURNING " +
        kCols};
const PgStatement kFailExhausted{
    "vitarec_fail_exhausted",
    "UPDATE jobs SET state = 'failed', lease_owner = '', lease_expires_at = 0, "
    "error_code = 'max_attempts_exceeded', error_message = $2, error_retryable = false, "
    "expires_at = $4, updated_at = $3, version = version + 1 WHERE id = $1 RETURNING version"};

// Fenced writes: $1 id, $2 owner, $3 fence, $4 now; their own parameters from $5.
const std::string kLeaseHeld =
    " WHERE id = $1 AND state = 'running' AND lease_owner = $2 AND fence = $3 AND "
    "lease_expires_at > $4";
const std::string kVisible = ", updated_at = $4, version = version + 1";
const std::string kClearLease = ", lease_owner = '', lease_expires_at = 0";
const std::string kReturning = " RETURNING version, state";
// Keeps the last error when the new code ($N) is NULL.
std::string SetErrorUnlessNull(int n) {
  const std::string code = "$" + std::to_string(n) + "::text";
  return ", error_code = COALESCE(" + code + ", error_code), error_message = CASE WHEN " + code +
         " IS NULL THEN error_message ELSE $" + std::to_string(n + 1) +
         "::text END, error_retryable = CASE WHEN " + code +
         " IS NULL THEN error_retryable ELSE $" + std::to_string(n + 2) + "::boolean END";
}

// Progress never goes back (see the SQLite store): a run after a crash or a retry starts its
// stages over, but what a client already saw stays the floor.
const PgStatement kProgress{"vitarec_progress",
                            "UPDATE jobs SET progress = GREATEST(progress, $5), "
                            "progress_message = $6" +
                                kVisible + kLeaseHeld + " AND NOT cancel_requested" + kReturning};
const PgStatement kRenew{"vitarec_renew", "UPDATE jobs SET lease_expires_at = $5" + kLeaseHeld +
                                              " RETURNING cancel_requested"};
// $1 ids, $2 owners, $3 fences (arrays, one entry per lease), $4 now, $5 the new expiry.
const PgStatement kRenewMany{
    "vitarec_renew_many",
    "UPDATE jobs AS j SET lease_expires_at = $5 FROM unnest($1::text[], $2::text[], "
    "$3::bigint[]) AS l(id, owner, fence) WHERE j.id = l.id AND j.state = 'running' AND "
    "j.lease_owner = l.owner AND j.fence = l.fence AND j.lease_expires_at > $4 "
    "RETURNING j.id, j.cancel_requested"};
const PgStatement kComplete{
    "vitarec_complete",
    "UPDATE jobs SET state = 'completed', progress = 100, result_json = $5, "
    "progress_message = $6, error_code = NULL, error_message = '', error_retryable = false, "
    "expires_at = $7, cancel_requested = false" +
        kClearLease + kVisible + kLeaseHeld + kReturning};
const PgStatement kFail{"vitarec_fail", "UPDATE jobs SET state = 'failed', progress_message = $5" +
                                            SetErrorUnlessNull(6) +
                                            ", expires_at = $9, cancel_requested = false" +
                                            kClearLease + kVisible + kLeaseHeld + kReturning};
const PgStatement kRequeue{"vitarec_requeue",
                           "UPDATE jobs SET state = 'queued', run_at = $5, progress_message = $6" +
                               SetErrorUnlessNull(7) + kClearLease + kVisible + kLeaseHeld +
                               kReturning};
const PgStatement kRelease{
    "vitarec_release",
    "UPDATE jobs SET state = 'queued', run_at = $4, attempt = GREATEST(attempt - 1, 0), "
    "progress_message = $5" +
        kClearLease + kVisible + kLeaseHeld + kReturning};
const PgStatement kCancelledFinish{
    "vitarec_finish_cancelled",
    "UPDATE jobs SET state = 'cancelled', progress_message = $5, expires_at = $6, "
    "cancel_requested = false" +
        kClearLease + kVisible + kLeaseHeld + kReturning};
const PgStatement kLeaseState{
    "vitarec_lease_state",
    "SELECT state, lease_owner, fence, lease_expires_at, cancel_requested FROM jobs WHERE id = $1"};

struct Candidate {
  std::string id;
  int attempt;
  int max_attempts;
  std::int64_t run_at;
  std::int64_t seq;
};

PgParams LeaseParams(const Lease& lease, core::TimePoint now) {
  return {Param(lease.job_id), Param(lease.owner), Param(lease.fence), Param(now)};
}

void AddError(PgParams& params, const std::optional<JobError>& error) {
  if (!error) {
    params.insert(params.end(), {std::nullopt, std::nullopt, std::nullopt});
    return;
  }
  params.insert(params.end(), {Param(error->code), Param(error->message), Param(error->retryable)});
}

core::Error FencedMiss(PgConnection& db, const Lease& lease, core::TimePoint now) {
  auto r = db.Run(kLeaseState, {Param(lease.job_id)});
  if (!r) return std::move(r.error());
  if (r->Rows() == 0) return DiagnoseFencedMiss(lease, now, std::nullopt);
  const std::string state(r->Text(0, 0));
  const std::string owner(r->Text(0, 1));
  return DiagnoseFencedMiss(lease, now,
                            LeaseState{ParseJobState(state), owner, r->Int(0, 2),
                                       core::FromUnixMillis(r->Int(0, 3)), r->Bool(0, 4)});
}

core::Result<void> RunFenced(PgConnection& db, const PgStatement& statement, const PgParams& params,
                             const Lease& lease, core::TimePoint now,
                             std::vector<JobChange>& changes) {
  auto r = db.Run(statement, params);
  if (!r) return core::Fail(std::move(r.error()));
  if (r->Rows() == 0) return core::Fail(FencedMiss(db, lease, now));
  const auto state = ParseJobState(r->Text(0, 1));
  changes.push_back(JobChange{lease.job_id, r->Int(0, 0), state.value_or(JobState::kQueued)});
  return {};
}

core::Result<void> AddCandidates(PgConnection& db, const PgStatement& statement,
                                 core::TimePoint now, int limit, std::vector<Candidate>& out) {
  auto r = db.Run(statement, {Param(now), Param(limit)});
  if (!r) return core::Fail(std::move(r.error()));
  for (int i = 0; i < r->Rows(); ++i) {
    out.push_back(Candidate{r->Text(i, 0), static_cast<int>(r->Int(i, 1)),
                            static_cast<int>(r->Int(i, 2)), r->Int(i, 3), r->Int(i, 4)});
  }
  return {};
}

// A text[] literal: {"a","b"} with " and \ escaped.
std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

core::Result<InsertOutcome> WriteInsert(PgConnection& db, const NewJob& job,
                                        std::vector<JobChange>& changes) {
  const PgParam key = job.idempotency_key.empty() ? PgParam() : Param(job.idempotency_key);
  auto r = db.Run(kInsert, {Param(job.id), Param(job.progress_message), Param(job.quiz_id),
                            Param(job.category), Param(job.locale), Param(job.request_json), key,
                            Param(job.max_attempts), Param(job.created_at)});
  if (!r) return core::Fail(std::move(r.error()));
  if (r->Rows() == 1) {
    auto inserted = ReadJob(*r, 0);
    if (!inserted) return core::Fail(std::move(inserted.error()));
    changes.push_back(JobChange{inserted->id, inserted->version, inserted->state});
    return InsertOutcome{std::move(*inserted), true};
  }
  auto existing = db.Run(kByIdempotencyKey, {key});
  if (!existing) return core::Fail(std::move(existing.error()));
  if (existing->Rows() == 0) {
    return core::Fail(ErrorCode::kInternal, "insert of job " + job.id + " returned no row");
  }
  auto found = ReadJob(*existing, 0);
  if (!found) return core::Fail(std::move(found.error()));
  return InsertOutcome{std::move(*found), false};
}

core::Result<std::vector<Job>> WriteClaim(PgConnection& db, const ClaimOptions& options,
                                          std::vector<JobChange>& changes) {
  std::vector<Job> claimed;
  const std::size_t wanted = static_cast<std::size_t>(std::max(options.max_jobs, 0));
  // Repeats only when exhausted jobs were failed instead of claimed; each pass removes them.
  while (claimed.size() < wanted) {
    const int limit = static_cast<int>(wanted - claimed.size());
    std::vector<Candidate> candidates;
    if (auto added = AddCandidates(db, kQueuedCandidates, options.now, limit, candidates); !added)
      return core::Fail(std::move(added.error()));
    if (auto added = AddCandidates(db, kExpiredCandidates, options.now, limit, candidates); !added)
      return core::Fail(std::move(added.error()));
    if (candidates.empty()) break;
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.run_at, a.seq) < std::tie(b.run_at, b.seq);
    });
    if (candidates.size() > static_cast<std::size_t>(limit)) candidates.resize(limit);

    bool any_exhausted = false;
    std::vector<std::string> ids;
    for (const Candidate& c : candidates) {
      if (c.attempt + 1 <= c.max_attempts) {
        ids.push_back(c.id);
        continue;
      }
      any_exhausted = true;
      const std::string message = "the job was started " + std::to_string(c.attempt) +
                                  " times without finishing; attempt " +
                                  std::to_string(c.attempt + 1) +
                                  " would exceed max_attempts=" + std::to_string(c.max_attempts);
      auto failed = db.Run(kFailExhausted, {Param(c.id), Param(message), Param(options.now),
                                            Param(options.failed_expires_at)});
      if (!failed) return core::Fail(std::move(failed.error()));
      changes.push_back(JobChange{c.id, failed->Int(0, 0), JobState::kFailed});
    }
    if (!ids.empty()) {
      auto r = db.Run(kClaim, {Param(ArrayLiteral(ids)), Param(options.owner),
                               Param(options.now + options.lease_duration), Param(options.now)});
      if (!r) return core::Fail(std::move(r.error()));
      std::vector<Job> batch;
      for (int i = 0; i < r->Rows(); ++i) {
        auto job = ReadJob(*r, i);
        if (!job) return core::Fail(std::move(job.error()));
        batch.push_back(std::move(*job));
      }
      for (const std::string& id : ids) {  // in candidate order
        auto it =
            std::find_if(batch.begin(), batch.end(), [&](const Job& j) { return j.id == id; });
        if (it == batch.end())
          return core::Fail(ErrorCode::kInternal, "claimed job " + id + " vanished");
        changes.push_back(JobChange{it->id, it->version, it->state});
        claimed.push_back(std::move(*it));
      }
    }
    if (!any_exhausted) break;
  }
  return claimed;
}

core::Result<void> WriteProgress(PgConnection& db, const Lease& lease, int progress,
                                 const std::string& message, core::TimePoint now,
                                 std::vector<JobChange>& changes) {
  PgParams params = LeaseParams(lease, now);
  params.insert(params.end(), {Param(std::clamp(progress, 0, 100)), Param(message)});
  return RunFenced(db, kProgress, params, lease, now, changes);
}

core::Result<bool> WriteRenewal(PgConnection& db, const Lease& lease, core::TimePoint now,
                                core::TimePoint expires_at) {
  PgParams params = LeaseParams(lease, now);
  params.push_back(Param(expires_at));
  auto r = db.Run(kRenew, params);
  if (!r) return core::Fail(std::move(r.error()));
  if (r->Rows() == 0) return core::Fail(FencedMiss(db, lease, now));
  return r->Bool(0, 0);
}

core::Result<RenewalOutcomes> WriteRenewals(PgConnection& db, const std::vector<Lease>& leases,
                                            core::TimePoint now, core::TimePoint expires_at) {
  if (leases.empty()) return RenewalOutcomes{};
  std::vector<std::string> ids, owners;
  std::string fences = "{";
  for (const Lease& lease : leases) {
    ids.push_back(lease.job_id);
    owners.push_back(lease.owner);
    if (fences.size() > 1) fences += ',';
    fences += std::to_string(lease.fence);
  }
  fences += '}';
  auto r = db.Run(kRenewMany, {Param(ArrayLiteral(ids)), Param(ArrayLiteral(owners)), Param(fences),
                               Param(now), Param(expires_at)});
  if (!r) return core::Fail(std::move(r.error()));
  std::unordered_map<std::string, bool> renewed;  // id -> cancel_requested
  for (int i = 0; i < r->Rows(); ++i) renewed.emplace(r->Text(i, 0), r->Bool(i, 1));
  RenewalOutcomes outcomes;
  outcomes.reserve(leases.size());
  for (const Lease& lease : leases) {
    if (auto it = renewed.find(lease.job_id); it != renewed.end()) {
      outcomes.emplace_back(it->second);
      continue;
    }
    core::Error miss = FencedMiss(db, lease, now);
    if (!IsLeaseAnswer(miss)) return core::Fail(std::move(miss));
    outcomes.emplace_back(core::Fail(std::move(miss)));
  }
  return outcomes;
}

core::Result<void> WriteFinish(PgConnection& db, const Lease& lease, const Finish& finish,
                               core::TimePoint now, std::vector<JobChange>& changes) {
  PgParams params = LeaseParams(lease, now);
  const PgStatement* statement = nullptr;
  switch (finish.kind) {
    case Finish::Kind::kCompleted:
      statement = &kComplete;
      params.insert(params.end(), {Param(finish.result_json), Param(finish.progress_message),
                                   Param(finish.expires_at)});
      break;
    case Finish::Kind::kFailed:
      statement = &kFail;
      params.push_back(Param(finish.progress_message));
      AddError(params, finish.error);
      params.push_back(Param(finish.expires_at));
      break;
    case Finish::Kind::kRequeued:
      statement = &kRequeue;
      params.insert(params.end(), {Param(finish.run_at), Param(finish.progress_message)});
      AddError(params, finish.error);
      break;
    case Finish::Kind::kReleased:
      statement = &kRelease;
      params.push_back(Param(finish.progress_message));
      break;
    case Finish::Kind::kCancelled:
      statement = &kCancelledFinish;
      params.insert(params.end(), {Param(finish.progress_message), Param(finish.expires_at)});
      break;
  }
  if (statement == nullptr) return core::Fail(ErrorCode::kInternal, "unknown finish kind");
  return RunFenced(db, *statement, params, lease, now, changes);
}

}  // namespace vitarec::store::postgres

// DynamoJobTable: the writes fenced by a lease (UpdateProgress, RenewLease, FinishJob).
#include <algorithm>

#include "store/dynamodb/DynamoItem.h"
#include "store/dynamodb/DynamoJobTable.h"

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;
using core::ErrorCode;

bool Holds(const Job& job, const Lease& lease, core::TimePoint now) {
  return job.state == JobState::kRunning && job.lease_owner == lease.owner &&
         job.fence == lease.fence && job.lease_expires_at > now;
}

}  // namespace

core::Result<Job> DynamoJobTable::ReadAfterMiss(const Lease& lease) {
  auto item = GetItem(lease.job_id);
  if (!item) return core::Fail(std::move(item.error()));
  if (item->empty()) return core::Fail(ErrorCode::kNotFound, "no job with id " + lease.job_id);
  auto job = ItemToJob(*item);
  if (!job) return core::Fail(LeaseLostError(lease));  // a tombstone
  return job;
}

core::Result<void> DynamoJobTable::Progress(const Lease& lease, int progress,
                                            const std::string& message, core::TimePoint now,
                                            std::vector<JobChange>& changes) {
  progress = std::clamp(progress, 0, 100);
  // Progress never goes back (see the SQLite store): when the stored one is higher, a second
  // write changes only the message.
  for (bool with_progress : {true, false}) {
    DynamoUpdate update;
    HeldBy(update, lease, now);
    update.Condition(update.Name("cancelRequested") + " = " + update.Value(Bool(false)));
    if (with_progress) {
      update.Condition(update.Name(attr::kProgress) + " <= " + update.Value(N(progress)));
      update.Set(attr::kProgress, N(progress));
    }
    update.Set(attr::kProgressMessage, S(message));
    Visible(update, lease.job_id, now);
    auto written = UpdateItem(lease.job_id, update, "UPDATED_NEW");
    if (written) {
      changes.push_back(
          JobChange{lease.job_id, GetN(*written, "version").value_or(0), JobState::kRunning});
      return {};
    }
    if (written.error().code != ErrorCode::kConflict) return core::Fail(std::move(written.error()));
    auto job = ReadAfterMiss(lease);
    if (!job) return core::Fail(std::move(job.error()));
    if (!Holds(*job, lease, now)) return core::Fail(LeaseLostError(lease));
    if (job->cancel_requested) return core::Fail(CancelRequestedError(lease));
    if (with_progress && job->progress > progress) continue;  // the message-only write
    // Held, not cancelled, and the condition held too: an earlier attempt of this write applied.
    changes.push_back(JobChange{lease.job_id, job->version, JobState::kRunning});
    return {};
  }
  return {};
}

core::Result<bool> DynamoJobTable::Renew(const Lease& lease, core::TimePoint now,
                                         core::TimePoint expires_at) {
  DynamoUpdate update;
  HeldBy(update, lease, now);
  update.Set("leaseExpiresAt", N(core::ToUnixMillis(expires_at)))
      .Set(attr::kDueAt, N(core::ToUnixMillis(expires_at)));
  auto renewed = UpdateItem(lease.job_id, update, "ALL_NEW");
  if (renewed) return GetBool(*renewed, "cancelRequested").value_or(false);
  if (renewed.error().code != ErrorCode::kConflict) return core::Fail(std::move(renewed.error()));
  auto job = ReadAfterMiss(lease);
  if (!job) return core::Fail(std::move(job.error()));
  // Still held with the new expiry: an earlier attempt applied.
  if (Holds(*job, lease, now) && job->lease_expires_at == expires_at) return job->cancel_requested;
  return core::Fail(LeaseLostError(lease));
}

core::Result<void> DynamoJobTable::Finish(const Lease& lease, const store::Finish& finish,
                                          core::TimePoint now, std::vector<JobChange>& changes) {
  DynamoUpdate update;
  HeldBy(update, lease, now);
  JobState next = JobState::kCompleted;
  update.Set(attr::kProgressMessage, S(finish.progress_message));
  switch (finish.kind) {
    case store::Finish::Kind::kCompleted:
      next = JobState::kCompleted;
      update.Set(attr::kProgress, N(100))
          .Set(attr::kRecommendation, S(finish.result_json))
          .Remove("errorCode")
          .Remove("errorMessage")
          .Remove("errorRetryable")
          .Set("cancelRequested", Bool(false));
      Expiring(update, finish.expires_at);
      break;
    case store::Finish::Kind::kFailed:
      next = JobState::kFailed;
      SetError(update, finish.error);
      update.Set("cancelRequested", Bool(false));
      Expiring(update, finish.expires_at);
      break;
    case store::Finish::Kind::kRequeued:
      next = JobState::kQueued;
      SetError(update, finish.error);
      update.Set("runAt", N(core::ToUnixMillis(finish.run_at)))
          .Set(attr::kDue, S(kDueQueued))
          .Set(attr::kDueAt, N(core::ToUnixMillis(finish.run_at)));
      break;
    case store::Finish::Kind::kReleased:
      next = JobState::kQueued;
      update.Add("attempt", -1)
          .Set("runAt", N(core::ToUnixMillis(now)))
          .Set(attr::kDue, S(kDueQueued))
          .Set(attr::kDueAt, N(core::ToUnixMillis(now)));
      break;
    case store::Finish::Kind::kCancelled:
      next = JobState::kCancelled;
      update.Set("cancelRequested", Bool(false));
      Expiring(update, finish.expires_at);
      break;
  }
  update.Set(attr::kState, S(JobStateName(next))).Set(attr::kStatus, S(StatusOf(next)));
  ClearLease(update);
  Visible(update, lease.job_id, now);
  auto written = UpdateItem(lease.job_id, update, "UPDATED_NEW");
  if (written) {
    changes.push_back(JobChange{lease.job_id, GetN(*written, "version").value_or(0), next});
    return {};
  }
  if (written.error().code != ErrorCode::kConflict) return core::Fail(std::move(written.error()));
  // A finish that applied cannot be told from another worker's finish: kLeaseLost either way
  // (the job left running, which is what the worker needs to know).
  auto job = ReadAfterMiss(lease);
  if (!job) return core::Fail(std::move(job.error()));
  return core::Fail(LeaseLostError(lease));
}

}  // namespace vitarec::store::dynamodb

#include "store/Job.h"

#include <utility>

namespace vitarec::store {

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kCompleted:
      return "completed";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "queued";
}

std::optional<JobState> ParseJobState(std::string_view name) {
  if (name == "queued") return JobState::kQueued;
  if (name == "running") return JobState::kRunning;
  if (name == "completed") return JobState::kCompleted;
  if (name == "failed") return JobState::kFailed;
  if (name == "cancelled") return JobState::kCancelled;
  return std::nullopt;
}

Job QueuedJob(NewJob job) {
  Job queued;
  queued.id = std::move(job.id);
  queued.state = JobState::kQueued;
  queued.progress = 0;
  queued.progress_message = std::move(job.progress_message);
  queued.quiz_id = std::move(job.quiz_id);
  queued.category = std::move(job.category);
  queued.locale = std::move(job.locale);
  queued.request_json = std::move(job.request_json);
  queued.idempotency_key = std::move(job.idempotency_key);
  queued.max_attempts = job.max_attempts;
  queued.run_at = job.created_at;
  queued.created_at = job.created_at;
  queued.updated_at = job.created_at;
  queued.version = 1;
  return queued;
}

core::Error LeaseLostError(const Lease& lease) {
  return core::MakeError(core::ErrorCode::kLeaseLost, "the lease of job " + lease.job_id +
                                                          " (owner " + lease.owner + ", fence " +
                                                          std::to_string(lease.fence) +
                                                          ") is not its current, unexpired lease");
}

core::Error CancelRequestedError(const Lease& lease) {
  return core::MakeError(core::ErrorCode::kCancelled,
                         "the cancellation of job " + lease.job_id + " was requested");
}

core::Error DiagnoseFencedMiss(const Lease& lease, core::TimePoint now,
                               const std::optional<LeaseState>& found) {
  if (!found) return core::MakeError(core::ErrorCode::kNotFound, "no job with id " + lease.job_id);
  const bool held = found->state == JobState::kRunning && found->owner == lease.owner &&
                    found->fence == lease.fence && found->lease_expires_at > now;
  return held && found->cancel_requested ? CancelRequestedError(lease) : LeaseLostError(lease);
}

}  // namespace vitarec::store

// The job row: what the store keeps for each recommendation, and the values that move a job
// through its lifecycle (queued -> running -> completed | failed | cancelled; running -> queued
// when a lease expires or a retry is scheduled). See docs/DESIGN.md for the state machine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Error.h"

namespace vitarec::store {

enum class JobState { kQueued, kRunning, kCompleted, kFailed, kCancelled };

// "queued", "running", "completed", "failed", "cancelled" — also the values stored.
std::string_view JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);
inline bool IsFinal(JobState s) {
  return s == JobState::kCompleted || s == JobState::kFailed || s == JobState::kCancelled;
}

struct JobError {
  std::string code;     // snake_case, e.g. "deadline_exceeded", "internal"
  std::string message;  // for people; never a stack trace or a secret
  bool retryable = false;
};

struct Job {
  std::string id;  // canonical UUID text
  JobState state = JobState::kQueued;
  int progress = 0;  // 0..100
  std::string progress_message;
  std::string quiz_id;            // preserved from the request; empty when absent
  std::string category;           // preserved from the request; empty when absent
  std::string locale;             // "es" or "en"
  std::string request_json;       // the canonical request as accepted
  std::string idempotency_key;    // empty when none was given
  std::string result_json;        // the recommendation object once completed, else empty
  std::optional<JobError> error;  // set when failed; the last error while a retry is pending
  int attempt = 0;                // number of claims so far
  int max_attempts = 3;           // a claim beyond this fails the job instead of running it
  std::string lease_owner;        // worker holding the lease while running, else empty
  core::TimePoint lease_expires_at{};
  std::int64_t fence = 0;    // incremented by every claim; writes of an older claim are refused
  core::TimePoint run_at{};  // not claimed before this time
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  std::int64_t version = 1;  // incremented by every change; usable as an ETag
  bool cancel_requested =
      false;  // set by Cancel on a running job; the worker stops at its next write
  core::TimePoint expires_at{};  // when a final job may be purged; 0 while not final
};

// What Store::Insert needs; the store sets state=queued, progress=0, version=1, run_at=created_at.
struct NewJob {
  std::string id;
  std::string quiz_id;
  std::string category;
  std::string locale;
  std::string request_json;
  std::string idempotency_key;   // empty: no idempotency
  std::string progress_message;  // shown while queued
  int max_attempts = 3;
  core::TimePoint created_at{};
};

// The job that Store::Insert stores for `job`: what any store reads back right after the insert.
Job QueuedJob(NewJob job);

struct InsertOutcome {
  Job job;
  bool created = true;  // false: a job with the same idempotency key existed; `job` is that one
};

// The right to write to a running job, obtained from Store::Claim.
struct Lease {
  std::string job_id;
  std::string owner;
  std::int64_t fence = 0;
};

struct ClaimOptions {
  std::string owner;  // unique per worker process, e.g. "host:pid:random"
  int max_jobs = 1;
  core::TimePoint now{};
  core::Millis lease_duration{15000};
  core::TimePoint failed_expires_at{};  // expires_at of a job failed here for max_attempts
};

// How a running job leaves the running state.
struct Finish {
  enum class Kind {
    kCompleted,  // state=completed, progress=100, result_json set, error cleared
    kFailed,     // state=failed, error set, progress kept
    kRequeued,   // state=queued, run_at set, error kept as the last error (retry with backoff)
    kReleased,   // state=queued, run_at=now, attempt decremented: handed back unharmed (shutdown)
    kCancelled,  // state=cancelled (the worker honoured a cancel request), progress kept
  };
  Kind kind = Kind::kCompleted;
  std::string result_json;        // kCompleted
  std::string progress_message;   // the message stored with the new state
  std::optional<JobError> error;  // kFailed, kRequeued
  core::TimePoint run_at{};       // kRequeued
  core::TimePoint expires_at{};   // kCompleted, kFailed, kCancelled: the job's new expires_at
};

struct PurgeOptions {
  core::TimePoint now{};
  int limit = 500;                      // most jobs purged by one call (small batches)
  core::TimePoint tombstones_before{};  // tombstones older than this are deleted for good
};

// Published by the store after a change to a job is committed.
struct JobChange {
  std::string id;
  std::int64_t version = 0;
  JobState state = JobState::kQueued;
};

// What a job's lease looks like when read back after a fenced write matched nothing.
struct LeaseState {
  std::optional<JobState> state;  // nullopt: a state the store does not know (or a tombstone)
  std::string_view owner;
  std::int64_t fence = 0;
  core::TimePoint lease_expires_at{};
  bool cancel_requested = false;
};

// Why a fenced write of `lease` at `now` matched no row, the same words for every backend:
// kNotFound when there is no job (`found` is nullopt), kCancelled when the lease still holds but
// the job's cancellation was requested, otherwise kLeaseLost.
core::Error DiagnoseFencedMiss(const Lease& lease, core::TimePoint now,
                               const std::optional<LeaseState>& found);
// The kLeaseLost and kCancelled errors DiagnoseFencedMiss answers, for backends that decide
// between them on their own.
core::Error LeaseLostError(const Lease& lease);
core::Error CancelRequestedError(const Lease& lease);

}  // namespace vitarec::store

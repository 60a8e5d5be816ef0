// Contract: retry and cancel of one job, the retention purge with tombstones, the active count.
#include <mutex>

#include "core/Id.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {

using core::ErrorCode;
using core::Millis;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

constexpr Millis kDay{86'400'000};

store::Finish FinishAs(store::Finish::Kind kind, core::TimePoint expires_at) {
  store::Finish finish;
  finish.kind = kind;
  finish.expires_at = expires_at;
  finish.progress_message = "Fin";
  if (kind == store::Finish::Kind::kCompleted) finish.result_json = R"({"items":[]})";
  if (kind == store::Finish::Kind::kFailed) {
    finish.error = JobError{"internal", "knowledge base missing", false};
  }
  return finish;
}

}  // namespace

Job StoreContractTest::FinishedJob(store::Finish::Kind kind, core::TimePoint expires_at) {
  const Job claimed = InsertAndClaim(kT0);
  Must(Progress(LeaseOf(claimed), 70, "Evaluando", kT0 + Millis(1)));
  Must(Finish(LeaseOf(claimed), FinishAs(kind, expires_at), kT0 + Millis(2)));
  return Must(Get(claimed.id));
}

namespace {

TEST_P(StoreContractTest, RetryOfAFailedJobQueuesItWithAttemptZero) {
  const Job failed = FinishedJob(store::Finish::Kind::kFailed, kT0 + kDay);
  const core::TimePoint now = kT0 + Millis(1000);

  const Job retried = Must(Retry(failed.id, now));

  Job expected = failed;
  expected.state = JobState::kQueued;
  expected.run_at = now;
  expected.attempt = 0;
  expected.progress = 0;
  expected.progress_message = "Reintentando";
  expected.expires_at = {};
  expected.updated_at = now;
  expected.version = failed.version + 1;
  EXPECT_EQ(Describe(retried), Describe(expected));  // the error is kept as the last error
  EXPECT_EQ(Describe(Must(Get(failed.id))), Describe(expected));
  const Job again = Must(Claim("worker-b", 1, now)).at(0);
  EXPECT_EQ(again.attempt, 1);
  EXPECT_EQ(again.fence, failed.fence + 1);
}

TEST_P(StoreContractTest, RetryOfACancelledJobQueuesIt) {
  const Job cancelled = FinishedJob(store::Finish::Kind::kCancelled, kT0 + kDay);

  const Job retried = Must(Retry(cancelled.id, kT0 + Millis(5)));

  EXPECT_EQ(retried.state, JobState::kQueued);
  EXPECT_EQ(retried.attempt, 0);
  EXPECT_FALSE(retried.cancel_requested);
  EXPECT_EQ(retried.expires_at, core::TimePoint{});
}

TEST_P(StoreContractTest, RetryOfAJobNotFailedNorCancelledIsAConflict) {
  const std::string queued = Must(Insert(MakeJob(kT0 + Millis(50)))).job.id;
  const Job running = InsertAndClaim(kT0);
  const Job completed = FinishedJob(store::Finish::Kind::kCompleted, kT0 + kDay);

  for (const std::string& id : {queued, running.id, completed.id}) {
    const std::string before = Describe(Must(Get(id)));
    EXPECT_THAT(Retry(id, kT0 + Millis(10)), FailsWith(ErrorCode::kConflict));
    EXPECT_EQ(Describe(Must(Get(id))), before);
  }
  EXPECT_THAT(Retry(core::NewId(), kT0), FailsWith(ErrorCode::kNotFound));
}

TEST_P(StoreContractTest, CancelOfAQueuedJobCancelsItAtOnce) {
  const Job queued = Must(Insert(MakeJob(kT0))).job;
  const core::TimePoint expires_at = kT0 + kDay * 7;

  const Job cancelled = Must(Cancel(queued.id, kT0 + Millis(3), expires_at));

  Job expected = queued;
  expected.state = JobState::kCancelled;
  expected.progress_message = "Cancelado";
  expected.expires_at = expires_at;
  expected.updated_at = kT0 + Millis(3);
  expected.version = queued.version + 1;
  EXPECT_EQ(Describe(cancelled), Describe(expected));
  EXPECT_EQ(Describe(Must(Get(queued.id))), Describe(expected));
  EXPECT_THAT(Must(Claim("worker-a", 1, kT0 + kLease)), IsEmpty());
}

TEST_P(StoreContractTest, CancelOfARunningJobStopsItsWorkerAtItsNextFencedWrite) {
  const Job running = InsertAndClaim(kT0);
  Must(Progress(LeaseOf(running), 30, "Reuniendo", kT0 + Millis(1)));

  const Job requested = Must(Cancel(running.id, kT0 + Millis(2), kT0 + kDay));

  EXPECT_EQ(requested.state, JobState::kRunning);
  EXPECT_TRUE(requested.cancel_requested);
  EXPECT_EQ(requested.lease_owner, running.lease_owner);
  EXPECT_EQ(requested.expires_at, core::TimePoint{});
  const std::string before = Describe(Must(Get(running.id)));
  EXPECT_THAT(Progress(LeaseOf(running), 70, "Evaluando", kT0 + Millis(3)),
              FailsWith(ErrorCode::kCancelled));
  EXPECT_EQ(Describe(Must(Get(running.id))), before);
  const core::TimePoint renewed_until = kT0 + kLease * 3;
  EXPECT_THAT(Renew(LeaseOf(running), kT0 + Millis(4), renewed_until),
              FailsWith(ErrorCode::kCancelled));
  EXPECT_EQ(Must(Get(running.id)).lease_expires_at, renewed_until);  // extended all the same

  ASSERT_THAT(Finish(LeaseOf(running), FinishAs(store::Finish::Kind::kCancelled, kT0 + kDay),
                     kT0 + Millis(5)),
              Succeeds());

  const Job cancelled = Must(Get(running.id));
  EXPECT_EQ(cancelled.state, JobState::kCancelled);
  EXPECT_EQ(cancelled.progress, 30);
  EXPECT_EQ(cancelled.lease_owner, "");
  EXPECT_EQ(cancelled.expires_at, kT0 + kDay);
}

TEST_P(StoreContractTest, AWorkerFinishingDespiteACancelRequestHasTheLastWord) {
  const Job running = InsertAndClaim(kT0);
  Must(Cancel(running.id, kT0 + Millis(1), kT0 + kDay));

  ASSERT_THAT(Finish(LeaseOf(running), FinishAs(store::Finish::Kind::kCompleted, kT0 + kDay),
                     kT0 + Millis(2)),
              Succeeds());

  EXPECT_EQ(Must(Get(running.id)).state, JobState::kCompleted);
}

TEST_P(StoreContractTest, CancelOfAFinalJobIsAConflict) {
  for (auto kind : {store::Finish::Kind::kCompleted, store::Finish::Kind::kFailed,
                    store::Finish::Kind::kCancelled}) {
    const Job final_job = FinishedJob(kind, kT0 + kDay);
    EXPECT_THAT(Cancel(final_job.id, kT0 + Millis(9), kT0 + kDay), FailsWith(ErrorCode::kConflict));
    EXPECT_EQ(Describe(Must(Get(final_job.id))), Describe(final_job));
  }
  EXPECT_THAT(Cancel(core::NewId(), kT0, kT0 + kDay), FailsWith(ErrorCode::kNotFound));
}

TEST_P(StoreContractTest, RetryAndCancelPublishTheirChanges) {
  std::mutex mu;
  std::vector<JobState> seen;
  store_->SetChangeListener([&](const JobChange& change) {
    std::lock_guard lock(mu);
    seen.push_back(change.state);
  });
  const std::string id = Must(Insert(MakeJob(kT0))).job.id;

  Must(Cancel(id, kT0 + Millis(1), kT0 + kDay));
  Must(Retry(id, kT0 + Millis(2)));

  std::lock_guard lock(mu);
  EXPECT_THAT(seen, ElementsAre(JobState::kQueued, JobState::kCancelled, JobState::kQueued));
}

TEST_P(StoreContractTest, PurgeTurnsExpiredFinalJobsIntoTombstonesInBatches) {
  const core::TimePoint now = kT0 + kDay * 8;
  std::vector<std::string> expired;
  for (auto kind : {store::Finish::Kind::kCompleted, store::Finish::Kind::kFailed,
                    store::Finish::Kind::kCancelled}) {
    expired.push_back(FinishedJob(kind, now - Millis(1)).id);
  }
  const std::string on_time = FinishedJob(store::Finish::Kind::kCompleted, now).id;
  const std::string kept = FinishedJob(store::Finish::Kind::kCompleted, now + Millis(1)).id;
  const std::string running = InsertAndClaim(kT0).id;
  const std::string queued = Must(Insert(MakeJob(kT0))).job.id;

  EXPECT_EQ(Must(Purge(now, 3, kT0)), 3);
  EXPECT_EQ(Must(Purge(now, 3, kT0)), 1);
  EXPECT_EQ(Must(Purge(now, 3, kT0)), 0);

  for (const std::string& id : expired) EXPECT_THAT(Get(id), FailsWith(ErrorCode::kGone));
  EXPECT_THAT(Get(on_time), FailsWith(ErrorCode::kGone));
  for (const std::string& id : {kept, queued, running}) EXPECT_THAT(Get(id), Succeeds());
  EXPECT_THAT(Retry(expired[1], now), FailsWith(ErrorCode::kGone));
  EXPECT_THAT(Cancel(expired[0], now, now + kDay), FailsWith(ErrorCode::kGone));
}

TEST_P(StoreContractTest, PurgeDeletesTombstonesOlderThanGiven) {
  const std::string first = FinishedJob(store::Finish::Kind::kCompleted, kT0 + Millis(10)).id;
  const std::string second = FinishedJob(store::Finish::Kind::kFailed, kT0 + Millis(20)).id;
  Must(Purge(kT0 + Millis(10), 10, kT0));  // first purged at +10
  Must(Purge(kT0 + Millis(20), 10, kT0));  // second purged at +20

  EXPECT_EQ(Must(Purge(kT0 + Millis(30), 10, kT0 + Millis(11))), 0);

  EXPECT_THAT(Get(first), FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(Get(second), FailsWith(ErrorCode::kGone));
}

TEST_P(StoreContractTest, ClaimFailingAJobForMaxAttemptsGivesItTheFailedExpiry) {
  NewJob poison = MakeJob(kT0);
  poison.max_attempts = 1;
  Must(Insert(poison));
  Must(Claim("worker-a", 1, kT0));  // its worker dies
  const core::TimePoint expires_at = kT0 + kDay * 7;

  EXPECT_THAT(Must(Claim("worker-a", 1, kT0 + kLease, kLease, expires_at)), IsEmpty());

  const Job failed = Must(Get(poison.id));
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.expires_at, expires_at);
}

TEST_P(StoreContractTest, CountActiveCountsQueuedAndRunningJobs) {
  EXPECT_EQ(Must(CountActive()), 0);
  FinishedJob(store::Finish::Kind::kCompleted, kT0 + kDay);
  InsertAndClaim(kT0);
  Must(Insert(MakeJob(kT0 + Millis(100))));
  Must(Insert(MakeJob(kT0 + Millis(100))));

  EXPECT_EQ(Must(CountActive()), 3);
}

}  // namespace
}  // namespace vitarec::store

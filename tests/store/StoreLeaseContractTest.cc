// Contract: writes fenced by a lease, and the ways a job leaves the running state.
#include <mutex>

#include "tests/store/StoreContractTest.h"

namespace vitarec::store {

using core::ErrorCode;
using core::Millis;
using ::testing::IsEmpty;

namespace {

store::Finish Completed(std::string result_json) {
  store::Finish finish;
  finish.kind = store::Finish::Kind::kCompleted;
  finish.result_json = std::move(result_json);
  finish.progress_message = "Listo";
  return finish;
}

store::Finish Failed(JobError error) {
  store::Finish finish;
  finish.kind = store::Finish::Kind::kFailed;
  finish.error = std::move(error);
  finish.progress_message = "Error";
  return finish;
}

store::Finish Requeued(JobError error, core::TimePoint run_at) {
  store::Finish finish;
  finish.kind = store::Finish::Kind::kRequeued;
  finish.error = std::move(error);
  finish.run_at = run_at;
  finish.progress_message = "Reintentando";
  return finish;
}

store::Finish Cancelled() {
  store::Finish finish;
  finish.kind = store::Finish::Kind::kCancelled;
  finish.progress_message = "Cancelado";
  return finish;
}

store::Finish Released() {
  store::Finish finish;
  finish.kind = store::Finish::Kind::kReleased;
  finish.progress_message = "En cola";
  return finish;
}

const JobError kTimeout{"deadline_exceeded", "took longer than 120 s", true};

}  // namespace

void StoreContractTest::ExpectFencedWritesRefused(const Lease& lease, core::TimePoint now) {
  const std::string before = Describe(Must(Get(lease.job_id)));

  EXPECT_THAT(Progress(lease, 50, "Evaluando", now), FailsWith(ErrorCode::kLeaseLost));
  EXPECT_THAT(Renew(lease, now, now + kLease), FailsWith(ErrorCode::kLeaseLost));
  for (const store::Finish& finish :
       {Completed("{}"), Failed(kTimeout), Requeued(kTimeout, now), Released(), Cancelled()}) {
    EXPECT_THAT(Finish(lease, finish, now), FailsWith(ErrorCode::kLeaseLost));
  }
  EXPECT_EQ(Describe(Must(Get(lease.job_id))), before);
}

namespace {

TEST_P(StoreContractTest, WritesWithAnOlderFenceAreRefused) {
  const Job first = InsertAndClaim(kT0, "worker-a");
  const Job second = Must(Claim("worker-a", 1, first.lease_expires_at)).at(0);

  ExpectFencedWritesRefused(LeaseOf(first), second.lease_expires_at - Millis(1));
}

TEST_P(StoreContractTest, WritesByAnotherOwnerAreRefused) {
  const Job job = InsertAndClaim(kT0, "worker-a");

  ExpectFencedWritesRefused(Lease{job.id, "worker-b", job.fence}, kT0 + Millis(1));
}

TEST_P(StoreContractTest, WritesOnAnExpiredLeaseAreRefused) {
  const Job job = InsertAndClaim(kT0);

  ExpectFencedWritesRefused(LeaseOf(job), job.lease_expires_at);
}

TEST_P(StoreContractTest, WritesToAJobNoLongerRunningAreRefused) {
  const Job job = InsertAndClaim(kT0);
  Must(Finish(LeaseOf(job), Completed("{}"), kT0 + Millis(1)));

  ExpectFencedWritesRefused(LeaseOf(job), kT0 + Millis(2));
}

TEST_P(StoreContractTest, FencedWritesToAnUnknownJobAreNotFound) {
  const Lease lease{"00000000-0000-4000-8000-000000000000", "worker-a", 1};

  EXPECT_THAT(Progress(lease, 10, "x", kT0), FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(Renew(lease, kT0, kT0 + kLease), FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(Finish(lease, Completed("{}"), kT0), FailsWith(ErrorCode::kNotFound));
}

TEST_P(StoreContractTest, ProgressUpdateChangesOnlyProgressMessageTimeAndVersion) {
  NewJob new_job = MakeJob(kT0);
  new_job.idempotency_key = "key-progress";
  Must(Insert(new_job));
  const Job claimed = Must(Claim("worker-a", 1, kT0)).at(0);
  const core::TimePoint now = kT0 + Millis(1500);

  ASSERT_THAT(Progress(LeaseOf(claimed), 30, "Reuniendo evidencia", now), Succeeds());

  Job expected = claimed;
  expected.progress = 30;
  expected.progress_message = "Reuniendo evidencia";
  expected.updated_at = now;
  expected.version = claimed.version + 1;
  EXPECT_EQ(Describe(Must(Get(claimed.id))), Describe(expected));
}

TEST_P(StoreContractTest, EveryVisibleChangeIncrementsVersion) {
  const Job claimed = InsertAndClaim(kT0);
  EXPECT_EQ(claimed.version, 2);

  Must(Progress(LeaseOf(claimed), 10, "Entendiendo", kT0 + Millis(1)));
  EXPECT_EQ(Must(Get(claimed.id)).version, 3);
  Must(Finish(LeaseOf(claimed), Completed("{}"), kT0 + Millis(3)));
  const Job finished = Must(Get(claimed.id));
  EXPECT_EQ(finished.version, 4);
  EXPECT_EQ(finished.updated_at, kT0 + Millis(3));
}

TEST_P(StoreContractTest, RenewalChangesNeitherVersionNorUpdatedAtAndPublishesNothing) {
  std::mutex mu;
  std::vector<std::int64_t> published;
  store_->SetChangeListener([&](const JobChange& change) {
    std::lock_guard lock(mu);
    published.push_back(change.version);
  });
  const Job claimed = InsertAndClaim(kT0);
  const core::TimePoint renewed_until = kT0 + kLease * 2;

  ASSERT_THAT(Renew(LeaseOf(claimed), kT0 + Millis(2), renewed_until), Succeeds());
  Must(Progress(LeaseOf(claimed), 10, "Entendiendo", kT0 + Millis(3)));  // a change after it

  Job expected = claimed;
  expected.lease_expires_at = renewed_until;
  expected.progress = 10;
  expected.progress_message = "Entendiendo";
  expected.updated_at = kT0 + Millis(3);
  expected.version = claimed.version + 1;
  EXPECT_EQ(Describe(Must(Get(claimed.id))), Describe(expected));
  std::lock_guard lock(mu);
  EXPECT_THAT(published, ::testing::ElementsAre(1, 2, 3));  // insert, claim, progress
}

TEST_P(StoreContractTest, FinalStatesTakeTheExpiryGivenByFinish) {
  const core::TimePoint expires_at = kT0 + Millis(86'400'000);
  for (store::Finish finish : {Completed("{}"), Failed(kTimeout), Cancelled()}) {
    const Job claimed = InsertAndClaim(kT0);
    finish.expires_at = expires_at;

    ASSERT_THAT(Finish(LeaseOf(claimed), finish, kT0 + Millis(1)), Succeeds());

    EXPECT_EQ(Must(Get(claimed.id)).expires_at, expires_at);
  }
}

TEST_P(StoreContractTest, RenewedLeaseOutlivesItsFirstExpiry) {
  const Job job = InsertAndClaim(kT0);
  const core::TimePoint renewed_until = job.lease_expires_at + kLease;

  ASSERT_THAT(Renew(LeaseOf(job), kT0 + Millis(5000), renewed_until), Succeeds());

  EXPECT_EQ(Must(Get(job.id)).lease_expires_at, renewed_until);
  EXPECT_THAT(Must(Claim("worker-b", 1, job.lease_expires_at)), IsEmpty());
  EXPECT_THAT(Progress(LeaseOf(job), 70, "Evaluando", job.lease_expires_at), Succeeds());
  EXPECT_EQ(Must(Claim("worker-b", 1, renewed_until)).size(), 1u);
}

TEST_P(StoreContractTest, CompletedJobStoresResultAndClearsLeaseAndError) {
  const Job first = InsertAndClaim(kT0);
  Must(Finish(LeaseOf(first), Requeued(kTimeout, kT0), kT0 + Millis(1)));
  const Job second = Must(Claim("worker-a", 1, kT0 + Millis(2))).at(0);

  ASSERT_THAT(Finish(LeaseOf(second), Completed(R"({"items":[1]})"), kT0 + Millis(3)), Succeeds());

  const Job job = Must(Get(first.id));
  EXPECT_EQ(job.state, JobState::kCompleted);
  EXPECT_EQ(job.progress, 100);
  EXPECT_EQ(job.progress_message, "Listo");
  EXPECT_EQ(job.result_json, R"({"items":[1]})");
  EXPECT_FALSE(job.error.has_value());
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_EQ(job.lease_expires_at, core::TimePoint{});
  EXPECT_EQ(job.quiz_id, "sueno-v1");
  EXPECT_EQ(job.category, "minerales");
}

TEST_P(StoreContractTest, FailedJobKeepsItsProgressAndStoresTheError) {
  const Job claimed = InsertAndClaim(kT0);
  Must(Progress(LeaseOf(claimed), 70, "Evaluando", kT0 + Millis(1)));
  const JobError error{"internal", "knowledge base missing", false};

  ASSERT_THAT(Finish(LeaseOf(claimed), Failed(error), kT0 + Millis(2)), Succeeds());

  const Job job = Must(Get(claimed.id));
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.progress, 70);
  ASSERT_TRUE(job.error.has_value());
  EXPECT_EQ(job.error->code, "internal");
  EXPECT_EQ(job.error->message, "knowledge base missing");
  EXPECT_FALSE(job.error->retryable);
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_THAT(Must(Claim("worker-a", 1, kT0 + kLease * 10)), IsEmpty());
}

TEST_P(StoreContractTest, RequeuedJobKeepsItsLastErrorAndWaitsForItsRunAt) {
  const Job claimed = InsertAndClaim(kT0);
  const core::TimePoint retry_at = kT0 + Millis(60'000);

  ASSERT_THAT(Finish(LeaseOf(claimed), Requeued(kTimeout, retry_at), kT0 + Millis(1)), Succeeds());

  const Job queued = Must(Get(claimed.id));
  EXPECT_EQ(queued.state, JobState::kQueued);
  EXPECT_EQ(queued.run_at, retry_at);
  EXPECT_EQ(queued.lease_owner, "");
  ASSERT_TRUE(queued.error.has_value());
  EXPECT_EQ(queued.error->code, "deadline_exceeded");
  EXPECT_TRUE(queued.error->retryable);
  EXPECT_THAT(Must(Claim("worker-a", 1, retry_at - Millis(1))), IsEmpty());
  const Job again = Must(Claim("worker-a", 1, retry_at)).at(0);
  EXPECT_EQ(again.attempt, 2);
  EXPECT_EQ(again.fence, 2);
  ASSERT_TRUE(again.error.has_value());
  EXPECT_EQ(again.error->code, "deadline_exceeded");
}

TEST_P(StoreContractTest, ReleasedJobIsClaimableAtOnceWithoutSpendingAnAttempt) {
  const Job claimed = InsertAndClaim(kT0);
  const core::TimePoint now = kT0 + Millis(500);

  ASSERT_THAT(Finish(LeaseOf(claimed), Released(), now), Succeeds());

  const Job queued = Must(Get(claimed.id));
  EXPECT_EQ(queued.state, JobState::kQueued);
  EXPECT_EQ(queued.attempt, 0);
  EXPECT_EQ(queued.run_at, now);
  EXPECT_EQ(queued.lease_owner, "");
  const std::vector<Job> again = Must(Claim("worker-b", 1, now));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempt, 1);
  EXPECT_EQ(again[0].fence, 2);
}

}  // namespace
}  // namespace vitarec::store

// Contract: inserting, reading and claiming jobs.
#include "tests/store/StoreContractTest.h"

#include <sstream>

#include "core/Id.h"

namespace vitarec::store {

using core::ErrorCode;
using core::Millis;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

void StoreContractTest::SetUp() {
  database_ = GetParam().create();
  store_ = database_->Open();
  ASSERT_NE(store_, nullptr);
}

void StoreContractTest::TearDown() {
  store_.reset();
  database_.reset();
}

void StoreContractTest::Reopen() {
  store_.reset();
  store_ = database_->Open();
  ASSERT_NE(store_, nullptr);
}

NewJob StoreContractTest::MakeJob(core::TimePoint created_at) {
  NewJob job;
  job.id = core::NewId();
  job.quiz_id = "sueno-v1";
  job.category = "minerales";
  job.locale = "es";
  job.request_json = R"({"query":"magnesio \"citrato\" para dormir — sueño","answers":{}})";
  job.progress_message = "En cola";
  job.max_attempts = 3;
  job.created_at = created_at;
  return job;
}

core::Result<InsertOutcome> StoreContractTest::Insert(NewJob job) {
  return Wait<InsertOutcome>([&](auto done) { store_->Insert(std::move(job), std::move(done)); });
}

core::Result<Job> StoreContractTest::Get(const std::string& id) {
  return Wait<Job>([&](auto done) { store_->Get(id, std::move(done)); });
}

core::Result<std::vector<Job>> StoreContractTest::Claim(const std::string& owner, int max_jobs,
                                                        core::TimePoint now, Millis lease,
                                                        core::TimePoint failed_expires_at) {
  return Wait<std::vector<Job>>([&](auto done) {
    store_->Claim(ClaimOptions{owner, max_jobs, now, lease, failed_expires_at}, std::move(done));
  });
}

core::Result<Job> StoreContractTest::Retry(const std::string& id, core::TimePoint now) {
  return Wait<Job>([&](auto done) { store_->Retry(id, now, "Reintentando", std::move(done)); });
}

core::Result<Job> StoreContractTest::Cancel(const std::string& id, core::TimePoint now,
                                            core::TimePoint expires_at) {
  return Wait<Job>(
      [&](auto done) { store_->Cancel(id, now, expires_at, "Cancelado", std::move(done)); });
}

core::Result<int> StoreContractTest::Purge(core::TimePoint now, int limit,
                                           core::TimePoint tombstones_before) {
  return Wait<int>([&](auto done) {
    store_->Purge(PurgeOptions{now, limit, tombstones_before}, std::move(done));
  });
}

core::Result<std::int64_t> StoreContractTest::CountActive() {
  return Wait<std::int64_t>([&](auto done) { store_->CountActive(std::move(done)); });
}

core::Result<void> StoreContractTest::Progress(const Lease& lease, int progress,
                                               const std::string& message, core::TimePoint now) {
  return Wait<void>(
      [&](auto done) { store_->UpdateProgress(lease, progress, message, now, std::move(done)); });
}

core::Result<void> StoreContractTest::Renew(const Lease& lease, core::TimePoint now,
                                            core::TimePoint expires_at) {
  return Wait<void>(
      [&](auto done) { store_->RenewLease(lease, now, expires_at, std::move(done)); });
}

core::Result<void> StoreContractTest::Finish(const Lease& lease, store::Finish finish,
                                             core::TimePoint now) {
  return Wait<void>([&](auto done) { store_->FinishJob(lease, finish, now, std::move(done)); });
}

Job StoreContractTest::InsertAndClaim(core::TimePoint created_at, const std::string& owner) {
  const std::string id = Must(Insert(MakeJob(created_at))).job.id;
  std::vector<Job> claimed = Must(Claim(owner, 1, created_at));
  if (claimed.size() != 1 || claimed[0].id != id) throw std::runtime_error("claim missed the job");
  return claimed[0];
}

std::string Describe(const Job& job) {
  std::ostringstream out;
  out << "id=" << job.id << "\nstate=" << JobStateName(job.state) << "\nprogress=" << job.progress
      << "\nprogress_message=" << job.progress_message << "\nquiz_id=" << job.quiz_id
      << "\ncategory=" << job.category << "\nlocale=" << job.locale
      << "\nrequest_json=" << job.request_json << "\nidempotency_key=" << job.idempotency_key
      << "\nresult_json=" << job.result_json;
  if (job.error) {
    out << "\nerror=" << job.error->code << "|" << job.error->message << "|"
        << job.error->retryable;
  } else {
    out << "\nerror=none";
  }
  out << "\nattempt=" << job.attempt << "\nmax_attempts=" << job.max_attempts
      << "\nlease_owner=" << job.lease_owner
      << "\nlease_expires_at=" << core::ToUnixMillis(job.lease_expires_at)
      << "\nfence=" << job.fence << "\nrun_at=" << core::ToUnixMillis(job.run_at)
      << "\ncreated_at=" << core::ToUnixMillis(job.created_at)
      << "\nupdated_at=" << core::ToUnixMillis(job.updated_at) << "\nversion=" << job.version
      << "\ncancel_requested=" << job.cancel_requested
      << "\nexpires_at=" << core::ToUnixMillis(job.expires_at);
  return out.str();
}

namespace {

std::vector<std::string> IdsOf(const std::vector<Job>& jobs) {
  std::vector<std::string> ids;
  for (const Job& job : jobs) ids.push_back(job.id);
  return ids;
}

TEST_P(StoreContractTest, InsertedJobReadsBackWithEveryField) {
  NewJob job = MakeJob(kT0);
  job.idempotency_key = "key-1";
  job.max_attempts = 5;

  const InsertOutcome inserted = Must(Insert(job));

  Job expected;
  expected.id = job.id;
  expected.state = JobState::kQueued;
  expected.progress = 0;
  expected.progress_message = "En cola";
  expected.quiz_id = "sueno-v1";
  expected.category = "minerales";
  expected.locale = "es";
  expected.request_json = job.request_json;
  expected.idempotency_key = "key-1";
  expected.max_attempts = 5;
  expected.run_at = kT0;
  expected.created_at = kT0;
  expected.updated_at = kT0;
  expected.version = 1;
  EXPECT_TRUE(inserted.created);
  EXPECT_EQ(Describe(inserted.job), Describe(expected));
  EXPECT_EQ(Describe(Must(Get(job.id))), Describe(expected));
}

TEST_P(StoreContractTest, InsertWithKnownIdempotencyKeyReturnsTheExistingJob) {
  NewJob first = MakeJob(kT0);
  first.idempotency_key = "same-key";
  NewJob second = MakeJob(kT0 + Millis(5));
  second.idempotency_key = "same-key";
  Must(Insert(first));

  const InsertOutcome again = Must(Insert(second));

  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.job.id, first.id);
  EXPECT_EQ(again.job.version, 1);
  EXPECT_THAT(Get(second.id), FailsWith(ErrorCode::kNotFound));
}

TEST_P(StoreContractTest, JobsWithoutIdempotencyKeyNeverCollide) {
  EXPECT_TRUE(Must(Insert(MakeJob(kT0))).created);
  EXPECT_TRUE(Must(Insert(MakeJob(kT0))).created);
}

TEST_P(StoreContractTest, GetOfUnknownIdIsNotFound) {
  EXPECT_THAT(Get(core::NewId()), FailsWith(ErrorCode::kNotFound));
}

TEST_P(StoreContractTest, PingSucceedsOnAnOpenStore) {
  EXPECT_THAT(Wait<void>([&](auto done) { store_->Ping(std::move(done)); }), Succeeds());
}

TEST_P(StoreContractTest, ClaimHandsOutOldestRunAtFirstUpToMaxJobs) {
  const std::string second = Must(Insert(MakeJob(kT0 + Millis(2)))).job.id;
  const std::string first = Must(Insert(MakeJob(kT0 + Millis(1)))).job.id;
  const std::string third = Must(Insert(MakeJob(kT0 + Millis(3)))).job.id;
  const core::TimePoint now = kT0 + Millis(10);

  const std::vector<Job> claimed = Must(Claim("worker-a", 2, now));

  ASSERT_THAT(IdsOf(claimed), ElementsAre(first, second));
  for (const Job& job : claimed) {
    EXPECT_EQ(job.state, JobState::kRunning);
    EXPECT_EQ(job.lease_owner, "worker-a");
    EXPECT_EQ(job.lease_expires_at, now + kLease);
    EXPECT_EQ(job.fence, 1);
    EXPECT_EQ(job.attempt, 1);
    EXPECT_EQ(job.version, 2);
    EXPECT_EQ(job.updated_at, now);
    EXPECT_EQ(Describe(Must(Get(job.id))), Describe(job));
  }
  EXPECT_THAT(IdsOf(Must(Claim("worker-a", 2, now))), ElementsAre(third));
  EXPECT_THAT(Must(Claim("worker-a", 2, now)), IsEmpty());
}

TEST_P(StoreContractTest, ClaimLeavesJobsWhoseRunAtIsLater) {
  const std::string id = Must(Insert(MakeJob(kT0 + Millis(100)))).job.id;

  EXPECT_THAT(Must(Claim("worker-a", 1, kT0 + Millis(99))), IsEmpty());
  EXPECT_THAT(IdsOf(Must(Claim("worker-a", 1, kT0 + Millis(100)))), ElementsAre(id));
}

TEST_P(StoreContractTest, RunningJobIsNotClaimedAgainBeforeItsLeaseExpires) {
  const Job job = InsertAndClaim(kT0);

  EXPECT_THAT(Must(Claim("worker-b", 1, job.lease_expires_at - Millis(1))), IsEmpty());
}

TEST_P(StoreContractTest, ExpiredLeaseIsClaimedAgainWithNextFenceAndAttempt) {
  const Job first = InsertAndClaim(kT0, "worker-a");

  const std::vector<Job> again = Must(Claim("worker-b", 1, first.lease_expires_at));

  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first.id);
  EXPECT_EQ(again[0].lease_owner, "worker-b");
  EXPECT_EQ(again[0].fence, first.fence + 1);
  EXPECT_EQ(again[0].attempt, first.attempt + 1);
  EXPECT_EQ(again[0].lease_expires_at, first.lease_expires_at + kLease);
}

TEST_P(StoreContractTest, ClaimBeyondMaxAttemptsFailsThePoisonJobAndTakesTheNext) {
  NewJob poison = MakeJob(kT0);
  poison.max_attempts = 2;
  Must(Insert(poison));
  core::TimePoint now = kT0;
  for (int attempt = 1; attempt <= 2; ++attempt) {  // its worker dies each time
    ASSERT_THAT(IdsOf(Must(Claim("worker-a", 1, now))), ElementsAre(poison.id));
    now += kLease;
  }
  const std::string healthy = Must(Insert(MakeJob(kT0 + Millis(1)))).job.id;

  EXPECT_THAT(IdsOf(Must(Claim("worker-a", 1, now))), ElementsAre(healthy));

  const Job failed = Must(Get(poison.id));
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.attempt, 2);
  EXPECT_EQ(failed.lease_owner, "");
  EXPECT_EQ(failed.updated_at, now);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, "max_attempts_exceeded");
  EXPECT_THAT(failed.error->message, ::testing::HasSubstr("2"));
  EXPECT_FALSE(failed.error->retryable);
  EXPECT_THAT(IdsOf(Must(Claim("worker-a", 5, now + kLease * 10))), Not(Contains(poison.id)));
}

}  // namespace
}  // namespace vitarec::store

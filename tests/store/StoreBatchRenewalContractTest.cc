// Contract: Store::RenewLeases, the renewal of many leases in one call.
#include <mutex>

#include "core/Id.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

using core::ErrorCode;
using core::Millis;
using ::testing::IsEmpty;

core::Result<std::vector<core::Result<void>>> RenewMany(Store& store, std::vector<Lease> leases,
                                                        core::TimePoint now,
                                                        core::TimePoint expires_at) {
  return Wait<std::vector<core::Result<void>>>(
      [&](auto done) { store.RenewLeases(std::move(leases), now, expires_at, std::move(done)); });
}

TEST_P(StoreContractTest, RenewLeasesAnswersEveryLeaseInTheOrderGiven) {
  const Job held = InsertAndClaim(kT0, "worker-a");
  const Job cancel_asked = InsertAndClaim(kT0, "worker-a");
  Must(Cancel(cancel_asked.id, kT0 + Millis(1), kT0 + kLease * 100));
  const Job taken_over = InsertAndClaim(kT0, "worker-a");
  const Lease stale{taken_over.id, "worker-a", taken_over.fence - 1};
  const Lease unknown{core::NewId(), "worker-a", 1};
  const core::TimePoint renewed_until = kT0 + kLease * 3;

  auto results = Must(RenewMany(*store_, {LeaseOf(held), unknown, LeaseOf(cancel_asked), stale},
                                kT0 + Millis(2), renewed_until));

  ASSERT_EQ(results.size(), 4u);
  EXPECT_THAT(results[0], Succeeds());
  EXPECT_THAT(results[1], FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(results[2], FailsWith(ErrorCode::kCancelled));
  EXPECT_THAT(results[3], FailsWith(ErrorCode::kLeaseLost));
  EXPECT_EQ(Must(Get(held.id)).lease_expires_at, renewed_until);
  EXPECT_EQ(Must(Get(cancel_asked.id)).lease_expires_at, renewed_until)
      << "a lease whose cancellation was asked is still extended";
  EXPECT_EQ(Must(Get(taken_over.id)).lease_expires_at, taken_over.lease_expires_at);
}

TEST_P(StoreContractTest, RenewLeasesRefusesExpiredLeasesAndChangesNothingVisible) {
  std::mutex mu;
  std::vector<std::string> published;
  const Job live = InsertAndClaim(kT0, "worker-a");
  const Job expired = InsertAndClaim(kT0 - kLease, "worker-a");
  store_->SetChangeListener([&](const JobChange& change) {
    std::lock_guard lock(mu);
    published.push_back(change.id);
  });
  const std::string live_before = Describe(Must(Get(live.id)));
  const std::string expired_before = Describe(Must(Get(expired.id)));

  auto results = Must(
      RenewMany(*store_, {LeaseOf(live), LeaseOf(expired)}, kT0 + Millis(1), kT0 + kLease * 2));

  ASSERT_EQ(results.size(), 2u);
  EXPECT_THAT(results[0], Succeeds());
  EXPECT_THAT(results[1], FailsWith(ErrorCode::kLeaseLost));
  Job expected = Must(Get(live.id));
  EXPECT_EQ(expected.lease_expires_at, kT0 + kLease * 2);
  expected.lease_expires_at = live.lease_expires_at;
  EXPECT_EQ(Describe(expected), live_before) << "only the expiry may change";
  EXPECT_EQ(Describe(Must(Get(expired.id))), expired_before);
  std::lock_guard lock(mu);
  EXPECT_THAT(published, IsEmpty());
}

TEST_P(StoreContractTest, RenewLeasesOfAnEmptyBatchAnswersNothing) {
  EXPECT_THAT(Must(RenewMany(*store_, {}, kT0, kT0 + kLease)), IsEmpty());
}

TEST_P(StoreContractTest, RenewLeasesKeepsAThousandJobsOwnedWithOneCall) {
  constexpr int kJobs = 1000;
  for (int i = 0; i < kJobs; ++i) Must(Insert(MakeJob(kT0)));
  std::vector<Lease> leases;
  while (leases.size() < kJobs) {
    for (const Job& job : Must(Claim("worker-a", 256, kT0))) leases.push_back(LeaseOf(job));
  }
  const core::TimePoint renewed_until = kT0 + kLease * 2;

  auto results = Must(RenewMany(*store_, leases, kT0 + kLease - Millis(1), renewed_until));

  ASSERT_EQ(results.size(), static_cast<std::size_t>(kJobs));
  for (const auto& r : results) EXPECT_THAT(r, Succeeds());
  EXPECT_THAT(Must(Claim("worker-b", kJobs, kT0 + kLease)), IsEmpty())
      << "a renewed job was claimed at its first expiry";
  EXPECT_EQ(Must(Claim("worker-b", kJobs, renewed_until)).size(), static_cast<std::size_t>(kJobs));
}

}  // namespace
}  // namespace vitarec::store

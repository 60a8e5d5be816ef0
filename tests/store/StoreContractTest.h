// The contract every Store implementation passes (src/store/Store.h). The tests are written
// against the interface only; a backend plugs in with INSTANTIATE_TEST_SUITE_P over a
// StoreBackend (see SqliteStoreContractTest.cc) and nothing here changes.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Blocking.h"
#include "store/Store.h"

namespace vitarec::store {

// One empty database, private to one test, of one backend; dropped with the object.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // A store on this database. May be called again (reopen after close) and while another store
  // on it is open (two processes or nodes on one database).
  virtual std::unique_ptr<Store> Open() = 0;
};

struct StoreBackend {
  std::string name;                                       // test name suffix, e.g. "Sqlite"
  std::function<std::unique_ptr<TestDatabase>()> create;  // a fresh, empty database
};

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 public:
  static constexpr core::TimePoint kT0 = core::TimePoint(core::Millis(1'800'000'000'000));
  static constexpr core::Millis kLease{10'000};

  // A queued job with every field set, created at `created_at`; ids are fresh UUIDs.
  static NewJob MakeJob(core::TimePoint created_at);

 protected:
  void SetUp() override;
  void TearDown() override;

  // Closes the store (waiting for what it owes) and opens a new one on the same database.
  void Reopen();

  core::Result<InsertOutcome> Insert(NewJob job);
  core::Result<Job> Get(const std::string& id);
  core::Result<std::vector<Job>> Claim(const std::string& owner, int max_jobs, core::TimePoint now,
                                       core::Millis lease = kLease,
                                       core::TimePoint failed_expires_at = {});
  core::Result<void> Progress(const Lease& lease, int progress, const std::string& message,
                              core::TimePoint now);
  core::Result<void> Renew(const Lease& lease, core::TimePoint now, core::TimePoint expires_at);
  core::Result<void> Finish(const Lease& lease, store::Finish finish, core::TimePoint now);
  // Retry with message "Reintentando"; Cancel with message "Cancelado".
  core::Result<Job> Retry(const std::string& id, core::TimePoint now);
  core::Result<Job> Cancel(const std::string& id, core::TimePoint now, core::TimePoint expires_at);
  core::Result<int> Purge(core::TimePoint now, int limit, core::TimePoint tombstones_before);
  core::Result<std::int64_t> CountActive();

  // Expects UpdateProgress, RenewLease and every kind of FinishJob with `lease` at `now` to be
  // refused with kLeaseLost, and the job to be left exactly as it was.
  void ExpectFencedWritesRefused(const Lease& lease, core::TimePoint now);

  // A job claimed at kT0, given progress 70 at kT0+1ms and finished at kT0+2ms as `kind`
  // (expiring at `expires_at`), as read back.
  Job FinishedJob(store::Finish::Kind kind, core::TimePoint expires_at);

  // Inserts a job created at `created_at` and claims it as `owner` at the same time.
  Job InsertAndClaim(core::TimePoint created_at, const std::string& owner = "worker-a");

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

// The value of a successful result; a failed one fails the test (by throwing, which GoogleTest
// reports with the error's message).
template <typename T>
T Must(core::Result<T> result) {
  if (!result) {
    throw std::runtime_error("unexpected " + std::string(core::ErrorCodeName(result.error().code)) +
                             ": " + result.error().message);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

inline Lease LeaseOf(const Job& job) { return Lease{job.id, job.lease_owner, job.fence}; }

// Every field of `job`, one per line, for comparisons with readable differences.
std::string Describe(const Job& job);

MATCHER_P(FailsWith, code, "fails with " + std::string(core::ErrorCodeName(code))) {
  if (arg) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "failed with " << core::ErrorCodeName(arg.error().code) << ": "
                   << arg.error().message;
  return arg.error().code == code;
}

MATCHER(Succeeds, "succeeds") {
  if (!arg) {
    *result_listener << "failed with " << core::ErrorCodeName(arg.error().code) << ": "
                     << arg.error().message;
  }
  return static_cast<bool>(arg);
}

}  // namespace vitarec::store

// Contract: change notifications, durability across reopen, and concurrent callers.
#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

using core::ErrorCode;
using core::Millis;
using ::testing::ElementsAre;

struct SeenChange {
  std::string id;
  std::int64_t version;
  JobState state;
  bool operator==(const SeenChange&) const = default;
};

void PrintTo(const SeenChange& c, std::ostream* out) {
  *out << c.id.substr(0, 8) << "@v" << c.version << ":" << JobStateName(c.state);
}

// Inserts `count` jobs asynchronously from `threads` threads at once and waits for every
// callback. Returns the ids of the acknowledged ones; `failures` counts the others.
std::vector<std::string> InsertConcurrently(Store& store, int threads, int count_per_thread,
                                            std::atomic<int>& failures) {
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::latch all_done(threads * count_per_thread);
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < count_per_thread; ++i) {
        NewJob job =
            StoreContractTest::MakeJob(core::TimePoint(Millis(1'000'000 + t * 10'000 + i)));
        store.Insert(std::move(job), [&](core::Result<InsertOutcome> r) {
          if (r) {
            std::lock_guard lock(mu);
            acknowledged.push_back(r->job.id);
          } else {
            ++failures;
          }
          all_done.count_down();
        });
      }
    });
  }
  for (auto& caller : callers) caller.join();
  all_done.wait();
  return acknowledged;
}

TEST_P(StoreContractTest, ChangeListenerSeesEveryCommittedChangeInOrder) {
  std::mutex mu;
  std::vector<SeenChange> seen;
  store_->SetChangeListener([&](const JobChange& change) {
    std::lock_guard lock(mu);
    seen.push_back({change.id, change.version, change.state});
  });
  NewJob new_job = MakeJob(kT0);
  new_job.idempotency_key = "listener-key";
  const std::string id = Must(Insert(new_job)).job.id;
  NewJob duplicate = MakeJob(kT0);
  duplicate.idempotency_key = "listener-key";
  Must(Insert(duplicate));  // not a change
  const Job claimed = Must(Claim("worker-a", 1, kT0)).at(0);
  Must(Progress(LeaseOf(claimed), 30, "Reuniendo", kT0 + Millis(1)));
  EXPECT_THAT(Progress(Lease{id, "worker-b", 1}, 40, "x", kT0 + Millis(2)),
              FailsWith(ErrorCode::kLeaseLost));  // not a change
  store::Finish done;
  done.result_json = "{}";
  Must(Finish(LeaseOf(claimed), done, kT0 + Millis(3)));

  std::lock_guard lock(mu);
  EXPECT_THAT(
      seen,
      ElementsAre(SeenChange{id, 1, JobState::kQueued}, SeenChange{id, 2, JobState::kRunning},
                  SeenChange{id, 3, JobState::kRunning}, SeenChange{id, 4, JobState::kCompleted}));
}

TEST_P(StoreContractTest, CommittedJobsSurviveReopen) {
  const Job claimed = InsertAndClaim(kT0);
  Must(Progress(LeaseOf(claimed), 70, "Evaluando", kT0 + Millis(1)));
  const std::string before = Describe(Must(Get(claimed.id)));

  Reopen();

  EXPECT_EQ(Describe(Must(Get(claimed.id))), before);
  EXPECT_THAT(Progress(LeaseOf(claimed), 90, "Redactando", kT0 + Millis(2)), Succeeds());
}

TEST_P(StoreContractTest, ConcurrentInsertsFromManyThreadsAreAllAcknowledgedAndDurable) {
  std::atomic<int> failures{0};

  const std::vector<std::string> ids = InsertConcurrently(*store_, 8, 250, failures);

  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(ids.size(), 2000u);
  Reopen();
  for (const std::string& id : ids) ASSERT_THAT(Get(id), Succeeds()) << id;
}

TEST_P(StoreContractTest, ConcurrentInsertsWithOneIdempotencyKeyCreateOneJob) {
  constexpr int kCallers = 16;
  std::mutex mu;
  std::vector<InsertOutcome> outcomes;
  std::latch all_done(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    NewJob job = MakeJob(kT0);
    job.idempotency_key = "double-click";
    store_->Insert(std::move(job), [&](core::Result<InsertOutcome> r) {
      {
        std::lock_guard lock(mu);
        if (r) outcomes.push_back(std::move(*r));
      }
      all_done.count_down();  // last: the test may end, destroying `mu`, right after
    });
  }
  all_done.wait();

  ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(kCallers));
  EXPECT_EQ(std::count_if(outcomes.begin(), outcomes.end(), [](auto& o) { return o.created; }), 1);
  for (const InsertOutcome& o : outcomes) EXPECT_EQ(o.job.id, outcomes[0].job.id);
}

// Claims until nothing is left, from `threads` threads on each of `stores`; returns every job
// handed out (with repeats, if the store had any).
std::vector<std::string> ClaimAll(const std::vector<Store*>& stores, int threads_per_store) {
  std::mutex mu;
  std::vector<std::string> claimed;
  std::vector<std::thread> workers;
  for (Store* store : stores) {
    for (int t = 0; t < threads_per_store; ++t) {
      workers.emplace_back([&, store, t] {
        const std::string owner = "worker-" + std::to_string(t);
        for (;;) {
          auto jobs = Wait<std::vector<Job>>([&](auto done) {
            store->Claim(ClaimOptions{owner, 3, StoreContractTest::kT0 + Millis(1'000'000),
                                      Millis(3'600'000)},
                         std::move(done));
          });
          if (!jobs || jobs->empty()) return;
          std::lock_guard lock(mu);
          for (const Job& job : *jobs) claimed.push_back(job.id);
        }
      });
    }
  }
  for (auto& worker : workers) worker.join();
  return claimed;
}

TEST_P(StoreContractTest, ConcurrentClaimersNeverGetTheSameJob) {
  std::atomic<int> failures{0};
  std::vector<std::string> ids = InsertConcurrently(*store_, 2, 100, failures);

  std::vector<std::string> claimed = ClaimAll({store_.get()}, 8);

  std::sort(ids.begin(), ids.end());
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed, ids);
}

TEST_P(StoreContractTest, ClaimersOnTwoStoresOfOneDatabaseNeverGetTheSameJob) {
  std::atomic<int> failures{0};
  std::vector<std::string> ids = InsertConcurrently(*store_, 2, 100, failures);
  std::unique_ptr<Store> other = database_->Open();

  std::vector<std::string> claimed = ClaimAll({store_.get(), other.get()}, 3);

  std::sort(ids.begin(), ids.end());
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed, ids);
}

TEST_P(StoreContractTest, ClosingTheStoreRunsEveryOwedCallback) {
  constexpr int kInserts = 500;
  std::atomic<int> called{0};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  for (int i = 0; i < kInserts; ++i) {
    store_->Insert(MakeJob(kT0 + Millis(i)), [&](core::Result<InsertOutcome> r) {
      ++called;
      if (!r) return;
      std::lock_guard lock(mu);
      acknowledged.push_back(r->job.id);
    });
  }

  store_.reset();

  EXPECT_EQ(called.load(), kInserts);
  Reopen();
  for (const std::string& id : acknowledged) ASSERT_THAT(Get(id), Succeeds()) << id;
  EXPECT_THAT(Must(Claim("worker-a", kInserts + 1, kT0 + Millis(kInserts))).size(),
              acknowledged.size());
}

}  // namespace
}  // namespace vitarec::store

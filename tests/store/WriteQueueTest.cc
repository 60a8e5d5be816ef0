// The deferred sync of the store's writer (store/WriteQueue.h), with a scripted committer whose
// commits are numbered, so that each callback can check that a sync covering its commit ran
// before it. The SQLite store runs the same path in every contract test; these tests pin the
// ordering and the failure cases down.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <vector>

#include "store/WriteQueue.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

using core::ErrorCode;

// The state the scripted committer and sync function share with the test.
struct Ledger {
  std::atomic<int> committed_batches{0};
  std::atomic<int> synced_batches{0};  // commits made before the last successful sync began
  std::atomic<int> syncs{0};
  std::atomic<bool> fail_next_sync{false};
};

struct LedgerConnection {
  Ledger* ledger;
};

// Applies every operation; an operation's result is the number of the batch it committed in.
class NumberedCommitter {
 public:
  using Connection = LedgerConnection;
  explicit NumberedCommitter(Ledger& ledger) : db_{&ledger} {}
  void Commit(WriteBatch<LedgerConnection>& batch) {
    for (auto& operation : batch) operation->Apply(db_);
    db_.ledger->committed_batches.fetch_add(1);
  }

 private:
  LedgerConnection db_;
};

using Queue = WriteQueue<NumberedCommitter>;

Queue::SyncFunction SyncOf(Ledger& ledger) {
  return [&ledger]() -> core::Result<void> {
    const int covered = ledger.committed_batches.load();
    ledger.syncs.fetch_add(1);
    if (ledger.fail_next_sync.exchange(false)) {
      return core::Fail(ErrorCode::kInternal, "fsync: input/output error");
    }
    ledger.synced_batches.store(covered);
    return {};
  };
}

// Submits `count` writes from this thread; each records (its number, its batch, whether a sync
// had covered that batch when its callback ran, its error code) in submission order checks.
struct Outcome {
  int number = 0;
  int batch = 0;
  bool covered = false;
  ErrorCode error = ErrorCode::kInternal;
  bool ok = false;
};

std::vector<Outcome> SubmitAndWait(Queue& queue, Ledger& ledger, int count) {
  std::mutex mu;
  std::vector<Outcome> outcomes;
  std::latch done(count);
  for (int i = 0; i < count; ++i) {
    queue.Submit<int>(
        [](LedgerConnection& db, std::vector<JobChange>&) -> core::Result<int> {
          return db.ledger->committed_batches.load() + 1;
        },
        [&, i](core::Result<int> result) {
          Outcome outcome;
          outcome.number = i;
          outcome.ok = static_cast<bool>(result);
          if (result) {
            outcome.batch = *result;
            outcome.covered = *result <= ledger.synced_batches.load();
          } else {
            outcome.error = result.error().code;
          }
          {
            std::lock_guard lock(mu);
            outcomes.push_back(outcome);
          }
          done.count_down();
        });
  }
  done.wait();
  return outcomes;
}

TEST(WriteQueueTest, ACallbackRunsOnlyAfterASyncThatBeganAfterItsCommit) {
  Ledger ledger;
  ChangePublisher publisher;
  Queue queue(NumberedCommitter(ledger), 8, publisher, SyncOf(ledger));
  const std::vector<Outcome> outcomes = SubmitAndWait(queue, ledger, 500);
  ASSERT_EQ(outcomes.size(), 500u);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].ok) << "write " << i;
    EXPECT_TRUE(outcomes[i].covered) << "write " << i << " reported before its batch was synced";
    EXPECT_EQ(outcomes[i].number, static_cast<int>(i)) << "callbacks out of submission order";
  }
  // 500 writes in batches of at most 8 is at least 63 commits; a sync covers several of them
  // whenever the writer commits faster than the sync returns, and never more syncs than commits.
  EXPECT_GE(ledger.committed_batches.load(), 63);
  EXPECT_LE(ledger.syncs.load(), ledger.committed_batches.load());
}

TEST(WriteQueueTest, AFailedSyncFailsTheWritesItWouldHaveMadeDurableAndTheNextOneRecovers) {
  Ledger ledger;
  ChangePublisher publisher;
  Queue queue(NumberedCommitter(ledger), 8, publisher, SyncOf(ledger));
  ledger.fail_next_sync = true;
  const std::vector<Outcome> first = SubmitAndWait(queue, ledger, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_FALSE(first[0].ok);
  EXPECT_EQ(first[0].error, ErrorCode::kUnavailable);
  const std::vector<Outcome> second = SubmitAndWait(queue, ledger, 20);
  for (const Outcome& outcome : second) {
    EXPECT_TRUE(outcome.ok);
    EXPECT_TRUE(outcome.covered);
  }
}

TEST(WriteQueueTest, CloseSyncsAndDeliversEverythingAlreadySubmitted) {
  Ledger ledger;
  ChangePublisher publisher;
  std::atomic<int> delivered{0};
  std::atomic<int> uncovered{0};
  {
    Queue queue(NumberedCommitter(ledger), 4, publisher, SyncOf(ledger));
    for (int i = 0; i < 300; ++i) {
      queue.Submit<int>(
          [](LedgerConnection& db, std::vector<JobChange>&) -> core::Result<int> {
            return db.ledger->committed_batches.load() + 1;
          },
          [&](core::Result<int> result) {
            if (!result || *result > ledger.synced_batches.load()) ++uncovered;
            ++delivered;
          });
    }
    queue.Close();
    EXPECT_EQ(delivered.load(), 300);
  }
  EXPECT_EQ(uncovered.load(), 0);
}

TEST(WriteQueueTest, WithoutASyncFunctionCallbacksRunRightAfterTheCommit) {
  Ledger ledger;
  ChangePublisher publisher;
  Queue queue(NumberedCommitter(ledger), 8, publisher);
  const std::vector<Outcome> outcomes = SubmitAndWait(queue, ledger, 50);
  for (const Outcome& outcome : outcomes) EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(ledger.syncs.load(), 0);
}

}  // namespace
}  // namespace vitarec::store

// What only the PostgreSQL store has: several stores (nodes) on one database, concurrent schema
// migrations, and a server that goes away and comes back.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "store/OpenStore.h"
#include "tests/store/PostgresTestDatabase.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

using core::ErrorCode;
using core::Millis;
using ::testing::HasSubstr;
using ::testing::Not;

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr core::TimePoint kT0 = StoreContractTest::kT0;

core::Result<InsertOutcome> InsertInto(Store& store, NewJob job) {
  return Wait<InsertOutcome>([&](auto done) { store.Insert(std::move(job), std::move(done)); });
}

core::Result<Job> GetFrom(Store& store, const std::string& id) {
  return Wait<Job>([&](auto done) { store.Get(id, std::move(done)); });
}

// Collects the changes a store's listener sees, and waits for them.
class SeenChanges {
 public:
  void Attach(Store& store) {
    store.SetChangeListener([this](const JobChange& change) {
      std::lock_guard lock(mu_);
      seen_.insert(change.id + "@" + std::to_string(change.version));
    });
  }
  bool WaitFor(const std::string& id, std::int64_t version,
               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu_);
        if (seen_.contains(id + "@" + std::to_string(version))) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::mutex mu_;
  std::set<std::string> seen_;
};

TEST(PostgresStoreTest, ChangesCommittedByOneNodeReachTheListenersOfEveryNode) {
  PostgresTestDatabase database;
  std::unique_ptr<Store> node_a = database.Open();
  std::unique_ptr<Store> node_b = database.Open();
  SeenChanges seen_by_a;
  SeenChanges seen_by_b;
  seen_by_a.Attach(*node_a);
  seen_by_b.Attach(*node_b);

  const std::string id = Must(InsertInto(*node_b, StoreContractTest::MakeJob(kT0))).job.id;
  const std::vector<Job> claimed = Must(Wait<std::vector<Job>>([&](auto done) {
    node_a->Claim(ClaimOptions{"worker-a", 1, kT0, Millis(10'000)}, std::move(done));
  }));

  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(seen_by_a.WaitFor(id, 1)) << "insert on B not heard by A";
  EXPECT_TRUE(seen_by_b.WaitFor(id, 1));
  EXPECT_TRUE(seen_by_b.WaitFor(id, 2)) << "claim on A not heard by B";
  EXPECT_TRUE(seen_by_a.WaitFor(id, 2));
}

TEST(PostgresStoreTest, NodesStartingAtOnceMigrateTheSchemaOnce) {
  PostgresTestDatabase database;
  std::vector<std::unique_ptr<Store>> nodes(4);
  std::vector<std::thread> starters;
  for (auto& node : nodes) {
    starters.emplace_back([&database, &node] { node = database.Open(); });
  }
  for (auto& starter : starters) starter.join();

  const std::string id = Must(InsertInto(*nodes[0], StoreContractTest::MakeJob(kT0))).job.id;
  for (auto& node : nodes) EXPECT_THAT(GetFrom(*node, id), Succeeds());
}

TEST(PostgresStoreTest, UnreachableServerIsUnavailableWithoutEchoingTheUrl) {
  StoreOptions options;
  options.connect_timeout = Millis(1000);
  // Port 1 on the loopback: nothing listens there.
  auto store = OpenStore("postgresql://vitarec:s3cret-pw@127.0.0.1:1/vitarec", options);

  ASSERT_THAT(store, FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(store.error().message, Not(HasSubstr("s3cret-pw")));
}

TEST(PostgresStoreTest, OperationsFailWhileTheServerIsDownAndRecoverWhenItIsBack) {
  auto server = testing::PostgresServer::Start();
  const std::string url = server->Url();
  std::unique_ptr<Store> store = Must(OpenStore(url, StoreOptions{}));
  std::unique_ptr<Store> other = Must(OpenStore(url, StoreOptions{}));
  SeenChanges seen;
  seen.Attach(*store);
  const std::string before = Must(InsertInto(*store, StoreContractTest::MakeJob(kT0))).job.id;

  server->Halt();

  EXPECT_THAT(GetFrom(*store, before), FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(InsertInto(*store, StoreContractTest::MakeJob(kT0)),
              FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(Wait<void>([&](auto done) { store->Ping(std::move(done)); }),
              FailsWith(ErrorCode::kUnavailable));

  server->Restart();

  // Each connection comes back by itself within its backoff (at most 5 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  core::Result<InsertOutcome> after = core::Fail(ErrorCode::kUnavailable, "not tried");
  while (!after && std::chrono::steady_clock::now() < deadline) {
    after = InsertInto(*store, StoreContractTest::MakeJob(kT0));
    if (!after) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_THAT(after, Succeeds());
  EXPECT_THAT(GetFrom(*store, before), Succeeds());
  // The listening connection is back too: another node's change is heard again.
  std::string heard;
  for (int i = 0; i < 150 && heard.empty(); ++i) {
    auto inserted = InsertInto(*other, StoreContractTest::MakeJob(kT0));
    if (inserted && seen.WaitFor(inserted->job.id, 1, std::chrono::milliseconds(100))) {
      heard = inserted->job.id;
    }
  }
  EXPECT_FALSE(heard.empty()) << "no change from the other node heard after the restart";
}

}  // namespace
}  // namespace vitarec::store

// The SQLite file itself: migrating a database written by an older build, the write statements'
// cost as SQLite plans them, and the WAL kept short by the checkpoint thread.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <future>
#include <vector>

#include "store/Blocking.h"
#include "store/OpenStore.h"
#include "store/sqlite/SqliteMigrations.h"
#include "store/sqlite/SqliteStore.h"
#include "tests/store/RawSqlite.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/TempDir.h"

using vitarec::testing::TempDir;

namespace vitarec::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A database as a build at schema version `version` left it.
void CreateAtVersion(const std::filesystem::path& path, int version) {
  RawDatabase raw(path);
  raw.Execute("PRAGMA journal_mode=WAL");
  for (const auto& migration : sqlite::Migrations()) {
    if (migration.version > version) break;
    raw.Execute(std::string(migration.sql));
  }
  raw.Execute("PRAGMA user_version = " + std::to_string(version));
}

TEST(SqliteSchemaTest, MigratingAVersion2DatabaseKeepsEveryRowAndTheClaimOrder) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  CreateAtVersion(path, 2);
  {
    RawDatabase raw(path);
    // Three queued jobs with the same run_at, inserted b, a, c (rowid order is the claim order),
    // and a completed one with its result, key and expiry.
    for (const char* id : {"job-b", "job-a", "job-c"}) {
      raw.Execute(std::string("INSERT INTO jobs (id, state, max_attempts, run_at, created_at, "
                              "updated_at, request_json) VALUES ('") +
                  id + "', 'queued', 3, 1000, 1000, 1000, '{\"query\":\"zinc\"}')");
    }
    raw.Execute(
        "INSERT INTO jobs (id, state, progress, max_attempts, run_at, created_at, updated_at, "
        "version, idempotency_key, result_json, expires_at) VALUES ('job-done', 'completed', "
        "100, 3, 500, 500, 900, 7, 'key-1', '{\"items\":[]}', 99999)");
  }

  auto store = Must(OpenStore("sqlite:" + path.string(), {}));

  {
    RawDatabase raw(path);
    EXPECT_EQ(raw.QueryText("PRAGMA user_version"), std::to_string(sqlite::Migrations().size()));
    EXPECT_THAT(raw.QueryText("SELECT sql FROM sqlite_schema WHERE name = 'jobs'"),
                Not(HasSubstr(" IN (")));
    EXPECT_THAT(raw.QueryText("SELECT sql FROM sqlite_schema WHERE name = 'jobs_final_by_expiry'"),
                Not(HasSubstr(" IN (")));
  }
  const Job done = Must(Wait<Job>([&](auto cb) { store->Get("job-done", std::move(cb)); }));
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_EQ(done.version, 7);
  EXPECT_EQ(done.idempotency_key, "key-1");
  EXPECT_EQ(done.result_json, "{\"items\":[]}");
  EXPECT_EQ(core::ToUnixMillis(done.expires_at), 99999);

  ClaimOptions claim;
  claim.owner = "worker-a";
  claim.max_jobs = 10;
  claim.now = core::FromUnixMillis(2000);
  const auto claimed =
      Must(Wait<std::vector<Job>>([&](auto cb) { store->Claim(claim, std::move(cb)); }));
  std::vector<std::string> ids;
  for (const Job& job : claimed) ids.push_back(job.id);
  EXPECT_THAT(ids, ElementsAre("job-b", "job-a", "job-c"));
  EXPECT_EQ(claimed.front().request_json, "{\"query\":\"zinc\"}");
}

// SQLite evaluates an IN list or a RETURNING clause through a temporary B-tree built and freed on
// every execution; on the writer's hot path that was a quarter of its time. Every insert and
// state change of a job evaluates the table's CHECK and the partial indexes' conditions.
TEST(SqliteSchemaTest, InsertsAndStateChangesBuildNoTemporaryBTree) {
  TempDir dir;
  const auto path = dir.path() / "v.db";
  { auto store = Must(OpenStore("sqlite:" + path.string(), {})); }
  RawDatabase raw(path);
  for (const std::string statement : {
           "INSERT INTO jobs (id, state, progress, progress_message, quiz_id, category, locale, "
           "request_json, idempotency_key, max_attempts, run_at, created_at, updated_at, version) "
           "VALUES ('x', 'queued', 0, '', '', '', '', '', NULL, 3, 1, 1, 1, 1)",
           "UPDATE jobs SET state = 'running', lease_owner = 'w', fence = fence + 1 WHERE id = 'x'",
           "UPDATE jobs SET state = 'completed', expires_at = 5, result_json = '{}' WHERE id = 'x'",
       }) {
    EXPECT_THAT(raw.QueryColumn("EXPLAIN " + statement, 1),
                Not(::testing::Contains("OpenEphemeral")))
        << statement;
  }
}

// The checkpoint sequence number in the WAL file's header (big-endian, bytes 12..15): it grows
// each time the WAL starts over from its beginning.
std::uint32_t WalRestarts(const std::filesystem::path& wal) {
  std::ifstream in(wal, std::ios::binary);
  unsigned char header[16] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  return (std::uint32_t{header[12]} << 24) | (std::uint32_t{header[13]} << 16) |
         (std::uint32_t{header[14]} << 8) | std::uint32_t{header[15]};
}

// Under writes without a pause a passive checkpoint never catches up, so without the restart
// step the WAL would never start over and would grow with every write.
TEST(SqliteSchemaTest, TheWalStartsOverAndStaysShortUnderWritesWithoutAPause) {
  TempDir dir;
  const auto path = dir.path() / "v.db";
  sqlite::SqliteStoreOptions options;
  options.synchronous = "normal";
  options.checkpoint.passive_frames = 50;
  options.checkpoint.restart_frames = 300;
  options.checkpoint.writer_wait_frames = 600;
  auto store = Must(sqlite::SqliteStore::Open(path.string(), options));

  constexpr int kJobs = 40000;
  std::atomic<int> pending{kJobs};
  std::atomic<int> failed{0};
  std::promise<void> all_done;
  for (int i = 0; i < kJobs; ++i) {
    store->Insert(StoreContractTest::MakeJob(StoreContractTest::kT0),
                  [&](core::Result<InsertOutcome> r) {
                    if (!r) failed.fetch_add(1);
                    if (pending.fetch_sub(1) == 1) all_done.set_value();
                  });
  }
  all_done.get_future().wait();

  EXPECT_EQ(failed.load(), 0);
  std::string metrics;
  store->RenderMetrics(metrics);
  EXPECT_THAT(metrics, Not(HasSubstr("vitarec_store_checkpoints_total 0\n")));
  const auto wal = std::filesystem::path(path.string() + "-wal");
  // The file keeps the size of the longest WAL: at most writer_wait_frames plus one batch of
  // writes. Without the restart steps ~19000 frames (78 MB) and 1 restart (at the first write).
  EXPECT_GE(WalRestarts(wal), 3u);
  EXPECT_LT(std::filesystem::file_size(wal), 1200u * (4096 + 24)) << "bytes of the WAL file";
}

}  // namespace
}  // namespace vitarec::store

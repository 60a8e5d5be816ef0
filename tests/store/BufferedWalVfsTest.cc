// The buffered-WAL VFS (store/sqlite/BufferedWalVfs.h) on real database files: what a buffered
// connection commits is in the WAL file for every other connection at once, transactions of any
// size go through, and a deferred sync still writes the frames out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/BufferedWalVfs.h"
#include "store/sqlite/SqliteConnection.h"
#include "tests/store/RawSqlite.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/TempDir.h"

using vitarec::testing::TempDir;

namespace vitarec::store::sqlite {
namespace {

using core::ErrorCode;

std::unique_ptr<SqliteConnection> OpenBuffered(const std::filesystem::path& path) {
  SqliteConnectionOptions options;
  options.create = true;
  options.synchronous = "full";
  options.buffered_wal = true;
  auto db = Must(SqliteConnection::Open(path.string(), options));
  Must(
      db->ExecuteScript("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                        "CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB NOT NULL);"));
  return db;
}

void Insert(SqliteConnection& db, int key, int size) {
  Must(db.ExecuteScript("INSERT INTO t (k, v) VALUES (" + std::to_string(key) + ", zeroblob(" +
                        std::to_string(size) + "))"));
}

TEST(BufferedWalVfsTest, RefusesAConnectionThatWouldNotSyncItsCommits) {
  TempDir dir;
  SqliteConnectionOptions options;
  options.create = true;
  options.synchronous = "normal";
  options.buffered_wal = true;
  const auto opened = SqliteConnection::Open((dir.path() / "t.db").string(), options);
  ASSERT_THAT(opened, FailsWith(ErrorCode::kInvalidArgument));
  EXPECT_THAT(opened.error().message, ::testing::HasSubstr("synchronous"));
}

TEST(BufferedWalVfsTest, EachCommitIsReadableByAnotherConnectionAtOnce) {
  TempDir dir;
  const auto path = dir.path() / "t.db";
  auto db = OpenBuffered(path);
  RawDatabase other(path);
  for (int key = 1; key <= 200; ++key) {
    Insert(*db, key, 100 + key);
    ASSERT_EQ(other.QueryText("SELECT count(*) FROM t"), std::to_string(key));
    ASSERT_EQ(other.QueryText("SELECT length(v) FROM t WHERE k = " + std::to_string(key)),
              std::to_string(100 + key));
  }
  EXPECT_EQ(other.QueryText("PRAGMA integrity_check"), "ok");
}

TEST(BufferedWalVfsTest, TransactionsLargerThanOneWriteAndThanTheBufferCommit) {
  // The default VFS writes at most 128 KiB per call and the buffer holds 4 MiB: transactions of
  // 300 KiB and 6 MiB of WAL must be written out in pieces, not refused as a full disk.
  TempDir dir;
  const auto path = dir.path() / "t.db";
  {
    auto db = OpenBuffered(path);
    Must(db->Execute("BEGIN"));
    for (int key = 1; key <= 75; ++key) Insert(*db, key, 4000);  // ~300 KiB of frames
    Must(db->Execute("COMMIT"));
    Insert(*db, 1000, 6 << 20);  // one row of 6 MiB
  }
  RawDatabase reopened(path);
  EXPECT_EQ(reopened.QueryText("SELECT count(*) FROM t"), "76");
  EXPECT_EQ(reopened.QueryText("SELECT length(v) FROM t WHERE k = 1000"), std::to_string(6 << 20));
  EXPECT_EQ(reopened.QueryText("PRAGMA integrity_check"), "ok");
}

TEST(BufferedWalVfsTest, ADeferredSyncStillWritesTheCommitOut) {
  TempDir dir;
  const auto path = dir.path() / "t.db";
  auto db = OpenBuffered(path);
  RawDatabase other(path);
  {
    DeferredWalSync deferred(true);
    Insert(*db, 1, 5000);
  }
  EXPECT_EQ(other.QueryText("SELECT length(v) FROM t WHERE k = 1"), "5000");
  // The WAL file holds the commit (the reader above could only have read it from there).
  EXPECT_GT(std::filesystem::file_size(dir.path() / "t.db-wal"), 5000u);
}

TEST(BufferedWalVfsTest, ARolledBackTransactionLeavesNothingBehind) {
  TempDir dir;
  const auto path = dir.path() / "t.db";
  auto db = OpenBuffered(path);
  Insert(*db, 1, 10);
  Must(db->Execute("BEGIN"));
  for (int key = 2; key <= 2000; ++key) Insert(*db, key, 3000);  // spills frames to the WAL
  Must(db->Execute("ROLLBACK"));
  Insert(*db, 3, 20);
  RawDatabase other(path);
  EXPECT_EQ(other.QueryText("SELECT group_concat(k) FROM t"), "1,3");
  EXPECT_EQ(other.QueryText("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace vitarec::store::sqlite

// The single writer of a SQLite store: a WriteQueue (store/WriteQueue.h) whose thread owns the
// write connection and commits every write operation, in submission order, in groups.
//
// Group commit: each batch runs in one BEGIN IMMEDIATE ... COMMIT, each operation inside its own
// savepoint. An operation that fails on its own (kNotFound, kLeaseLost, kInternal) is rolled back
// to its savepoint and the others go on. A storage fault (kUnavailable: disk full, I/O error,
// read-only, locked past the busy timeout) in any statement, or in BEGIN or COMMIT, rolls the
// whole batch back and every operation of it fails with that error; the connection stays usable,
// so the next batch succeeds once the fault has cleared. Each operation is applied once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "core/Error.h"
#include "store/WriteQueue.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

// The transactions of the SQLite writer; see above. Used only by the writer thread.
class SqliteCommitter {
 public:
  using Connection = SqliteConnection;

  // `defer_sync`: the connection writes its WAL through BufferedWalVfs and a sync thread fsyncs
  // it; COMMIT then only writes the WAL out (see BufferedWalVfs.h).
  SqliteCommitter(std::unique_ptr<SqliteConnection> db, bool defer_sync)
      : db_(std::move(db)), defer_sync_(defer_sync) {}

  // Runs `batch` in one transaction; on a storage fault sets `failure` on every operation.
  void Commit(WriteBatch<SqliteConnection>& batch);

 private:
  // The error that failed the whole batch, if any.
  std::optional<core::Error> RunTransaction(WriteBatch<SqliteConnection>& batch);

  std::unique_ptr<SqliteConnection> db_;
  bool defer_sync_ = false;
  std::int64_t failed_batches_ = 0;  // since the last commit
};

// Submit's `apply` follows the contract of JobWrites.h.
using SqliteWriter = WriteQueue<SqliteCommitter>;

}  // namespace vitarec::store::sqlite

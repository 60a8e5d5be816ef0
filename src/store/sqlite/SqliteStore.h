// The embedded Store: one SQLite database file in WAL mode.
//
// Writes go to one writer thread that owns the write connection and commits them in groups
// (SqliteWriter): a callback runs only after the transaction holding its write committed, with
// `synchronous` deciding how durable that is (FULL: survives power loss; NORMAL: survives a
// process crash). With FULL the writer commits without an fsync and a sync thread fsyncs the WAL
// once for all the commits made meanwhile, before their callbacks run (deferred sync,
// store/WriteQueue.h): the same guarantee as SQLite's own FULL, without a commit waiting for a
// flush. The WAL is copied into the database file by a thread of its own
// (SqliteCheckpointer), not inside the writer's commits. Writes are applied in the order they were
// submitted, across all threads. Reads (Get, CountActive, Ping) run on `reader_threads` threads
// with their own connections (store/ReaderPool.h) and see the last committed state, in WAL mode
// without waiting for the writer. No SQLite call runs on a caller's thread.
//
// Several stores (processes) may open the same file: the writers take turns through SQLite's
// lock, each waiting up to busy_timeout before its batch fails with kUnavailable.
#pragma once

#include <memory>
#include <string>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/QueuedStore.h"
#include "store/ReaderPool.h"
#include "store/Store.h"
#include "store/sqlite/JobControlWrites.h"
#include "store/sqlite/JobRow.h"
#include "store/sqlite/JobWrites.h"
#include "store/sqlite/SqliteCheckpointer.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteWriter.h"

namespace vitarec::store::sqlite {

struct SqliteStoreOptions {
  int reader_threads = 2;            // at least 1
  int max_batch = 256;               // writes per transaction, at least 1
  std::string synchronous = "full";  // "off", "normal", "full" or "extra"
  // With "full" or "extra": flush on the sync thread (see above) rather than inside each COMMIT.
  bool defer_sync = true;
  core::Millis busy_timeout{5000};  // wait for another process's lock before kUnavailable
  CheckpointOptions checkpoint;     // when the WAL is copied into the database file
};

// The SQLite functions behind the Store operations (QueuedStore.h).
struct SqliteBackend {
  using Connection = SqliteConnection;
  using Writer = SqliteWriter;
  using Readers = ReaderPool<SqliteConnection>;
  static constexpr auto WriteInsert = &sqlite::WriteInsert;
  static constexpr auto WriteClaim = &sqlite::WriteClaim;
  static constexpr auto WriteProgress = &sqlite::WriteProgress;
  static constexpr auto WriteRenewal = &sqlite::WriteRenewal;
  static constexpr auto WriteRenewals = &sqlite::WriteRenewals;
  static constexpr auto WriteFinish = &sqlite::WriteFinish;
  static constexpr auto WriteRetry = &sqlite::WriteRetry;
  static constexpr auto WriteCancel = &sqlite::WriteCancel;
  static constexpr auto WritePurge = &sqlite::WritePurge;
  static constexpr auto FindJobById = &sqlite::FindJobById;
  static constexpr auto CountActiveJobs = &sqlite::CountActiveJobs;
  static constexpr auto PingDatabase = &sqlite::PingDatabase;
};

class SqliteStore final : public QueuedStore<SqliteBackend> {
 public:
  // Opens (creating when missing) the database at `path`, whose directory must exist, switches
  // it to WAL and applies the schema migrations. kInvalidArgument for bad options or a database
  // from a newer build; kUnavailable when the file cannot be opened, read or migrated.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         const SqliteStoreOptions& options);

  // Stops accepting operations, runs every queued one (their callbacks run, writes commit), and
  // joins the threads. Operations started meanwhile fail with kUnavailable "store closed".
  ~SqliteStore() override;

  void RenderMetrics(std::string& out) override;

 private:
  SqliteStore() = default;

  SqliteWriter& writer() override { return *writer_; }
  Readers& readers() override { return *readers_; }

  std::unique_ptr<SqliteCheckpointer> checkpointer_;  // outlives writer_, whose WAL hook uses it
  std::unique_ptr<SqliteWriter> writer_;
  std::unique_ptr<Readers> readers_;
};

}  // namespace vitarec::store::sqlite

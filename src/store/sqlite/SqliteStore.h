// The embedded Store: one SQLite database file in WAL mode.
//
// Writes go to one writer thread that owns the write connection and commits them in groups
// (SqliteWriter): a callback runs only after the transaction holding its write committed, with
// `synchronous` deciding how durable that is (FULL: survives power loss; NORMAL: survives a
// process crash). Writes are applied in the order they were submitted, across all threads.
// Reads (Get, CountActive, Ping) run on `reader_threads` threads with their own connections
// (SqliteReaderPool) and see the last committed state. No SQLite call runs on a caller's thread.
//
// Several stores (processes) may open the same file: the writers take turns through SQLite's
// lock, each waiting up to busy_timeout before its batch fails with kUnavailable.
#pragma once

#include <memory>
#include <string>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Store.h"
#include "store/sqlite/SqliteReaderPool.h"
#include "store/sqlite/SqliteWriter.h"

namespace vitarec::store::sqlite {

struct SqliteStoreOptions {
  int reader_threads = 2;            // at least 1
  int max_batch = 256;               // writes per transaction, at least 1
  std::string synchronous = "full";  // "off", "normal", "full" or "extra"
  core::Millis busy_timeout{5000};   // wait for another process's lock before kUnavailable
};

class SqliteStore final : public Store {
 public:
  // Opens (creating when missing) the database at `path`, whose directory must exist, switches
  // it to WAL and applies the schema migrations. kInvalidArgument for bad options or a database
  // from a newer build; kUnavailable when the file cannot be opened, read or migrated.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         const SqliteStoreOptions& options);

  // Stops accepting operations, runs every queued one (their callbacks run, writes commit), and
  // joins the threads. Operations started meanwhile fail with kUnavailable "store closed".
  ~SqliteStore() override;

  void SetChangeListener(ChangeListener listener) override;
  void Insert(NewJob job, Callback<InsertOutcome> done) override;
  void Get(std::string id, Callback<Job> done) override;
  void Claim(ClaimOptions options, Callback<std::vector<Job>> done) override;
  void UpdateProgress(Lease lease, int progress, std::string message, core::TimePoint now,
                      Callback<void> done) override;
  void RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                  Callback<void> done) override;
  void FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) override;
  void Retry(std::string id, core::TimePoint now, std::string progress_message,
             Callback<Job> done) override;
  void Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
              std::string progress_message, Callback<Job> done) override;
  void Purge(PurgeOptions options, Callback<int> done) override;
  void CountActive(Callback<std::int64_t> done) override;
  void Ping(Callback<void> done) override;

 private:
  SqliteStore(std::unique_ptr<SqliteWriter> writer, std::unique_ptr<SqliteReaderPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  const std::unique_ptr<SqliteWriter> writer_;
  const std::unique_ptr<SqliteReaderPool> readers_;
};

}  // namespace vitarec::store::sqlite

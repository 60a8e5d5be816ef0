// One SQLite connection with its cache of prepared statements.
//
// Threading: not thread-safe. A connection belongs to one thread at a time — the store's writer
// thread or one reader thread — and is handed over only before that thread starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/sqlite/SqliteStatement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vitarec::store::sqlite {

struct SqliteConnectionOptions {
  bool create = false;               // create the database file when it does not exist
  bool query_only = false;           // refuse writes (PRAGMA query_only), for reader connections
  core::Millis busy_timeout{5000};   // how long a statement waits for another connection's lock
  std::string synchronous = "full";  // "off", "normal", "full" or "extra" (PRAGMA synchronous)
  int cache_mib = 0;                 // page cache per connection (0: SQLite's default, 2 MiB)
  // Write the WAL through BufferedWalVfs (one system call per commit); needs synchronous "full"
  // or "extra".
  bool buffered_wal = false;
};

// What a WAL checkpoint did: the frames in the WAL and how many of them are now in the database.
struct WalCheckpoint {
  int wal_frames = 0;
  int checkpointed_frames = 0;
};

class SqliteConnection {
 public:
  // Opens `path` and applies the options. kInvalidArgument for an unknown `synchronous`;
  // kUnavailable when the file cannot be opened or is not a database.
  static core::Result<std::unique_ptr<SqliteConnection>> Open(
      const std::string& path, const SqliteConnectionOptions& options);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();  // finalizes the cached statements, then closes

  // The statement for `sql` (one statement, parameters as ?N), prepared on first use and cached
  // for the life of the connection. Only one handle per `sql` may be live at a time.
  core::Result<SqliteStatement> Prepare(std::string_view sql);

  // Prepare(sql) and Run(): for statements without parameters (BEGIN, COMMIT, SAVEPOINT, ...).
  core::Result<void> Execute(std::string_view sql);

  // Runs `sql`, possibly several statements, without caching (schema changes, pragmas).
  core::Result<void> ExecuteScript(const std::string& sql);

  // Whether a transaction is open (false after SQLite rolled one back on its own).
  bool InTransaction() const;

  // The rowid of the last row this connection inserted, and the rows the last INSERT, UPDATE
  // or DELETE changed.
  std::int64_t LastInsertRowid() const;
  int Changes() const;

  // Calls `hook` with the number of frames in the WAL after each commit of this connection, on
  // the committing thread, and turns SQLite's automatic checkpoint off for this connection (it
  // is that same hook). The commit returns after the hook; the hook must not use the connection.
  void SetWalHook(std::function<void(int wal_frames)> hook);

  // Copies WAL frames into the database file. PASSIVE (`restart` false) copies what it can
  // without waiting for anyone; RESTART also waits (up to the busy timeout) until no writer is
  // active, copies every frame and makes the next writer start the WAL file from its beginning.
  core::Result<WalCheckpoint> Checkpoint(bool restart);

  // fsyncs the database file and its WAL (whatever any connection wrote to them), without
  // taking any lock: so that a checkpoint that follows, which syncs them while it holds the
  // writer off, finds little left to write.
  core::Result<void> SyncFiles();

  // fsyncs the WAL file, making durable every commit any connection finished before the call.
  // Needs no lock. kUnavailable when this connection has not opened the WAL yet (it does on its
  // first read of a database in WAL mode) or the sync fails.
  core::Result<void> SyncWal();

  const std::string& path() const { return path_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  // The busy handler: polls every 0.1 ms (1 ms after the first 2 ms) until busy_timeout_.
  static int OnBusy(void* self, int attempts);

  sqlite3* const db_;
  const std::string path_;
  std::function<void(int)> wal_hook_;
  core::Millis busy_timeout_{0};
  std::chrono::steady_clock::time_point busy_since_;  // when the current wait for a lock began
  // Looked up by string_view (no std::string built per statement run: the writer runs ~3 per
  // operation, and the SQL of an insert is ~300 characters).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>>
      statements_;  // sql -> prepared statement
};

}  // namespace vitarec::store::sqlite

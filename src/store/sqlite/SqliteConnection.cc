#include "store/sqlite/SqliteConnection.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "store/sqlite/BufferedWalVfs.h"
#include "store/sqlite/SqliteError.h"

namespace vitarec::store::sqlite {
namespace {

bool IsSynchronousLevel(std::string_view level) {
  return level == "off" || level == "normal" || level == "full" || level == "extra";
}

}  // namespace

core::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, const SqliteConnectionOptions& options) {
  if (!IsSynchronousLevel(options.synchronous)) {
    return core::Fail(
        core::ErrorCode::kInvalidArgument,
        "sqlite synchronous must be off, normal, full or extra, not '" + options.synchronous + "'",
        "sqlite_synchronous");
  }
  if (options.buffered_wal && options.synchronous != "full" && options.synchronous != "extra") {
    return core::Fail(
        core::ErrorCode::kInvalidArgument,
        "a buffered WAL needs sqlite synchronous full or extra, not '" + options.synchronous + "'",
        "sqlite_synchronous");
  }
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags,
                                 options.buffered_wal ? BufferedWalVfsName() : nullptr);
  if (rc != SQLITE_OK) {
    core::Error error = SqliteError(rc, db, "open of " + path);
    sqlite3_close_v2(db);  // a handle is returned even on failure; null is harmless
    error.code = core::ErrorCode::kUnavailable;
    return core::Fail(std::move(error));
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db, path));
  connection->busy_timeout_ = options.busy_timeout;
  sqlite3_busy_handler(db, &SqliteConnection::OnBusy, connection.get());
  std::string pragmas = "PRAGMA synchronous=" + options.synchronous + ";";
  if (options.query_only) pragmas += "PRAGMA query_only=1;";
  if (options.cache_mib > 0)
    pragmas += "PRAGMA cache_size=-" + std::to_string(options.cache_mib * 1024) + ";";
  // Reads the schema, so a file that is not a database fails here rather than on first use.
  pragmas += "PRAGMA user_version;";
  if (auto applied = connection->ExecuteScript(pragmas); !applied) {
    applied.error().code = core::ErrorCode::kUnavailable;
    return core::Fail(std::move(applied.error()));
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return SqliteStatement(found->second, db_);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return core::Fail(SqliteError(rc, db_, "prepare of " + std::string(sql.substr(0, 48))));
  }
  statements_.emplace(std::string(sql), stmt);
  return SqliteStatement(stmt, db_);
}

core::Result<void> SqliteConnection::Execute(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return core::Fail(std::move(stmt.error()));
  return stmt->Run();
}

core::Result<void> SqliteConnection::ExecuteScript(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return core::Fail(SqliteError(rc, db_, "script"));
  return {};
}

int SqliteConnection::OnBusy(void* self, int attempts) {
  // SQLite's own busy timeout sleeps 1, 2, 5, 10 ... up to 100 ms between tries, so a lock held
  // for 3 ms can cost a waiter 8 ms. A short, even poll keeps the wait close to the hold.
  auto* connection = static_cast<SqliteConnection*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (attempts == 0) connection->busy_since_ = now;
  if (now - connection->busy_since_ >= connection->busy_timeout_) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(attempts < 20 ? 100 : 1000));
  return 1;
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::int64_t SqliteConnection::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

int SqliteConnection::Changes() const { return sqlite3_changes(db_); }

void SqliteConnection::SetWalHook(std::function<void(int wal_frames)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<SqliteConnection*>(self)->wal_hook_(frames);
        return SQLITE_OK;
      },
      this);
}

core::Result<void> SqliteConnection::SyncFiles() {
  for (const int op : {SQLITE_FCNTL_FILE_POINTER, SQLITE_FCNTL_JOURNAL_POINTER}) {
    sqlite3_file* file = nullptr;
    const int found = sqlite3_file_control(db_, "main", op, &file);
    // No WAL file open yet (nothing read through this connection): nothing to sync.
    if (found != SQLITE_OK || file == nullptr || file->pMethods == nullptr) continue;
    if (const int rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL); rc != SQLITE_OK) {
      return core::Fail(SqliteError(rc, db_, "sync before a checkpoint"));
    }
  }
  return {};
}

core::Result<void> SqliteConnection::SyncWal() {
  sqlite3_file* file = nullptr;
  const int found = sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file);
  if (found != SQLITE_OK || file == nullptr || file->pMethods == nullptr) {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "sync of the write-ahead log: " + path_ + "-wal is not open");
  }
  if (const int rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL); rc != SQLITE_OK) {
    return core::Fail(SqliteError(rc, db_, "sync of the write-ahead log"));
  }
  return {};
}

core::Result<WalCheckpoint> SqliteConnection::Checkpoint(bool restart) {
  WalCheckpoint done;
  const int rc = sqlite3_wal_checkpoint_v2(
      db_, nullptr, restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE,
      &done.wal_frames, &done.checkpointed_frames);
  if (rc != SQLITE_OK) {
    return core::Fail(SqliteError(rc, db_, restart ? "restart checkpoint" : "passive checkpoint"));
  }
  return done;
}

}  // namespace vitarec::store::sqlite

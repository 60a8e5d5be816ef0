#include "store/sqlite/SqliteConnection.h"

#include <sqlite3.h>

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
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    core::Error error = SqliteError(rc, db, "open of " + path);
    sqlite3_close_v2(db);  // a handle is returned even on failure; null is harmless
    error.code = core::ErrorCode::kUnavailable;
    return core::Fail(std::move(error));
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db, path));
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  std::string pragmas = "PRAGMA synchronous=" + options.synchronous + ";";
  if (options.query_only) pragmas += "PRAGMA query_only=1;";
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

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace vitarec::store::sqlite

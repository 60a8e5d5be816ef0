// A scoped use of one prepared statement cached by a SqliteConnection: bind, step, read columns.
// When the handle goes away the statement is reset and its bindings cleared, so an abandoned
// statement never keeps a read transaction open. Values only ever reach SQL as bound parameters.
//
// Not thread-safe: a handle is used on its connection's thread and must not outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/Error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vitarec::store::sqlite {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based (?1, ?2, ...). A failed bind is reported by the next Step or Run.
  SqliteStatement& Bind(int index, std::int64_t value);
  SqliteStatement& Bind(int index, std::string_view value);  // copied by SQLite
  // Not copied: `value` must stay alive and unchanged until this handle is gone. Saves SQLite a
  // heap copy per value (the handle clears its bindings, so the copy's buffer is not reused).
  SqliteStatement& BindUncopied(int index, std::string_view value);
  SqliteStatement& BindNull(int index);

  // Advances to the next row: true when a row is available, false when the statement is done.
  // Errors name the SQLite code and the statement (see SqliteError).
  core::Result<bool> Step();

  // Steps until done, ignoring any rows.
  core::Result<void> Run();

  // Columns of the current row, 0-based. NULL reads as 0 or "".
  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;  // owned by the connection's cache
  sqlite3* db_;
  int bind_error_ = 0;  // first failed bind, SQLITE_OK when none
};

}  // namespace vitarec::store::sqlite

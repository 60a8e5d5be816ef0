// The schema of the SQLite store and its history. The database's PRAGMA user_version is the
// number of migrations applied; Migrate applies the missing ones in order at open.
//
// Rule: a released migration is never edited. A change to the schema is a new entry at the end
// (ALTER TABLE ... ADD COLUMN with a DEFAULT, CREATE INDEX, ...), so databases written by any
// earlier build open with this one.
#pragma once

#include <span>
#include <string_view>

#include "core/Error.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

struct Migration {
  int version;           // 1, 2, 3, ... in order
  std::string_view sql;  // one or more statements
};

// Every migration, oldest first.
std::span<const Migration> Migrations();

// Applies the migrations newer than the database's user_version, each in its own IMMEDIATE
// transaction that also sets user_version, and returns the resulting version. kInvalidArgument
// when the database was written by a newer build (its version is unknown here); kUnavailable on
// a storage fault. Runs on the thread that owns `db`.
core::Result<int> Migrate(SqliteConnection& db);

}  // namespace vitarec::store::sqlite

// Translation of SQLite result codes into core::Error, the only place that decides which SQLite
// failures are storage faults (kUnavailable: retrying later may succeed once the disk, the lock
// or the file is back) and which are bugs (kInternal).
#pragma once

#include <string_view>

#include "core/Error.h"

struct sqlite3;

namespace vitarec::store::sqlite {

// Whether `rc` (primary or extended code) means the database cannot be read or written right
// now: SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN,
// SQLITE_PROTOCOL, SQLITE_NOMEM, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_PERM, SQLITE_NOLFS.
bool IsStorageFault(int rc);

// "SQLITE_FULL", "SQLITE_IOERR", ... for the primary code of `rc`.
std::string_view ResultCodeName(int rc);

// An Error for a failed call: kUnavailable for storage faults, kInternal otherwise. The message
// names the code, SQLite's explanation and what was being done, e.g.
// "SQLITE_FULL (13): database or disk is full during commit". `db` may be null.
core::Error SqliteError(int rc, sqlite3* db, std::string_view during);

}  // namespace vitarec::store::sqlite

// The schema of the PostgreSQL store and its history. The table vitarec_schema holds the number
// of migrations applied; Migrate applies the missing ones in order at open, each in its own
// transaction, while holding a session advisory lock, so that several nodes starting at once
// apply each migration exactly once (the others wait, then find it applied).
//
// The tables live in the connection's current schema (search_path), so that one database can
// hold several independent stores (tests use one schema each).
//
// Rule: a released migration is never edited; a change is a new entry at the end.
#pragma once

#include <string>

#include "core/Error.h"
#include "store/postgres/PgConnection.h"

namespace vitarec::store::postgres {

// Applies the missing migrations and returns the resulting version. kInvalidArgument when the
// database was written by a newer build; kUnavailable when the server fails.
core::Result<int> Migrate(PgConnection& db);

// The LISTEN/NOTIFY channel of the store in the connection's current schema (channels are per
// database, so the schema's name is folded into it): "vitarec_jobs_" + 16 hex digits.
core::Result<std::string> NotifyChannel(PgConnection& db);

}  // namespace vitarec::store::postgres

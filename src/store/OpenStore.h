// Opens the Store named by a URL: the one place that knows which implementations exist.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Store.h"

namespace vitarec::store {

struct StoreOptions {
  int reader_threads = 2;                   // threads (and connections) serving reads
  int max_batch = 256;                      // writes committed per transaction at most
  std::string sqlite_synchronous = "full";  // SQLite: "full" (power-loss safe) or "normal", ...
  core::Millis busy_timeout{5000};          // SQLite: wait for another process's write lock
  core::Millis connect_timeout{5000};       // PostgreSQL: per connection attempt
  bool dynamodb_create_table = false;       // DynamoDB: create the table or its indexes if missing
};

// "sqlite:PATH" opens (creating it and its parent directories when missing) the SQLite
// database at PATH, relative to the working directory or absolute. "postgresql://..." and
// "postgres://..." open the PostgreSQL store (libpq URL syntax; the schema is the search_path's,
// e.g. "?options=-csearch_path%3Dvitarec"); several nodes may open the same database.
// "dynamodb://TABLE?region=R" opens the DynamoDB store on TABLE (store/dynamodb/DynamoStore.h);
// optional parameters: endpoint=http://127.0.0.1:PORT (a local DynamoDB), workers=N (concurrent
// requests, default 16), change_poll_ms=N (250; 0 = off), change_shards=N (4), changes=off (no
// change index writes, no cross-node notifications). Errors:
// kInvalidArgument for an unknown or malformed URL or bad options; kUnavailable when the
// database cannot be opened. Error messages never contain the URL.
// Blocks while it opens and migrates the database: call at start-up, not on an I/O thread.
core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options);

}  // namespace vitarec::store

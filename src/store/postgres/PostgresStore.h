// The scale-out Store: any number of nodes (processes) share one PostgreSQL database.
//
// Threads and connections, per store: one writer thread with one connection applies all writes
// in submission order with group commit (PgWriter; claims take rows `FOR UPDATE SKIP LOCKED`,
// so nodes never hand out a job twice nor wait for each other's claims); `reader_threads`
// threads, each with its own connection, serve Get, CountActive and Ping (PgReaderPool); one
// thread with a dedicated connection LISTENs for the changes other nodes commit (PgListener).
// No libpq call runs on a caller's thread. Statements are prepared once per connection; values
// are always bound parameters.
//
// Changes: each committing transaction NOTIFYs its changes (id, version, state), so the
// ChangeListener of every store on the database sees every change: its own ones from the writer
// thread right after the commit (before the operation's callback), the others' from the listener
// thread. Changes another node committed while this node's LISTEN connection was down are
// missed (see PgListener.h).
//
// Connection loss: operations fail with kUnavailable while the server is unreachable; each
// connection comes back by itself, with backoff, once it is reachable (PgSession). A write whose
// COMMIT was sent when the connection broke answers kUnavailable although it may have committed
// (the usual ambiguity of a lost commit; every write is safe to retry except Insert, which the
// idempotency key covers).
//
// Schema: migrations run at Open under an advisory lock (PgMigrations.h), in the schema named
// by the connection's search_path (e.g. `?options=-csearch_path%3Dvitarec` in the URL).
// The URL is never logged (it may hold a password).
#pragma once

#include <memory>
#include <string>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/QueuedStore.h"
#include "store/Store.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgJobRow.h"
#include "store/postgres/PgJobWrites.h"
#include "store/postgres/PgListener.h"
#include "store/postgres/PgReaderPool.h"
#include "store/postgres/PgWriter.h"

namespace vitarec::store::postgres {

struct PostgresStoreOptions {
  int reader_threads = 2;              // read connections, at least 1
  int max_batch = 256;                 // writes per transaction, at least 1
  core::Millis connect_timeout{5000};  // per connection attempt
};

// The PostgreSQL functions behind the Store operations (QueuedStore.h).
struct PostgresBackend {
  using Connection = PgConnection;
  using Writer = PgWriter;
  using Readers = PgReaderPool;
  static constexpr auto WriteInsert = &postgres::WriteInsert;
  static constexpr auto WriteClaim = &postgres::WriteClaim;
  static constexpr auto WriteProgress = &postgres::WriteProgress;
  static constexpr auto WriteRenewal = &postgres::WriteRenewal;
  static constexpr auto WriteRenewals = &postgres::WriteRenewals;
  static constexpr auto WriteFinish = &postgres::WriteFinish;
  static constexpr auto WriteRetry = &postgres::WriteRetry;
  static constexpr auto WriteCancel = &postgres::WriteCancel;
  static constexpr auto WritePurge = &postgres::WritePurge;
  static constexpr auto FindJobById = &postgres::FindJobById;
  static constexpr auto CountActiveJobs = &postgres::CountActiveJobs;
  static constexpr auto PingDatabase = &postgres::PingDatabase;
};

class PostgresStore final : public QueuedStore<PostgresBackend> {
 public:
  // Connects to `url`, applies the schema migrations and opens every connection.
  // kInvalidArgument for bad options or a schema from a newer build; kUnavailable when the
  // server cannot be reached or the migrations fail.
  static core::Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                           const PostgresStoreOptions& options);

  // Stops accepting operations, runs every queued one, and closes the connections.
  ~PostgresStore() override;

 private:
  PostgresStore() = default;

  PgWriter& writer() override { return *writer_; }
  PgReaderPool& readers() override { return *readers_; }

  // The threads below publish to publisher() (QueuedStore), which outlives them.
  std::unique_ptr<PgWriter> writer_;
  std::unique_ptr<PgReaderPool> readers_;
  std::unique_ptr<PgListener> listener_;
};

}  // namespace vitarec::store::postgres

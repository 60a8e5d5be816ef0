// The writer of a PostgreSQL store: a WriteQueue (store/WriteQueue.h) whose thread owns the write
// connection and commits every write operation of this store, in submission order, in groups.
//
// Group commit: each batch runs in one transaction, which then announces the batch's changes with
// pg_notify (so other nodes hear of a change only once it is committed) and commits. An operation
// that fails on its own (kNotFound, kGone, kConflict, kLeaseLost, kCancelled) writes nothing and
// the others go on. A failed statement aborts the transaction: it is rolled back and, when the
// connection still works, every operation of the batch is run again alone in its own
// transaction, so that only the guilty one fails (this also resolves a deadlock with another
// node's batch); an operation may thus be applied twice, each time from scratch. When the
// connection is lost, the operations not yet committed fail with kUnavailable and the next batch
// reconnects (PgSession).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/Error.h"
#include "store/WriteQueue.h"
#include "store/postgres/PgSession.h"

namespace vitarec::store::postgres {

// The transactions of the PostgreSQL writer; see above. Used only by the writer thread,
// backend_pid() excepted.
class PgCommitter {
 public:
  using Connection = PgConnection;

  // `channel` is the NOTIFY channel (PgMigrations.h NotifyChannel).
  PgCommitter(std::unique_ptr<PgSession> session, std::string channel)
      : channel_(std::move(channel)), session_(std::move(session)) {}

  // Runs the batch, setting `failure` on each operation that did not commit.
  void Commit(WriteBatch<PgConnection>& batch);

  // The server process of the write connection (its notifications are published locally), or 0.
  // Thread-safe.
  int backend_pid() const { return session_->backend_pid(); }

 private:
  // Runs operations [first, last) of `batch` in one transaction; the error that aborted it.
  // `began` tells whether BEGIN succeeded (when not, nothing reached the server).
  std::optional<core::Error> RunTransaction(PgConnection& db, WriteBatch<PgConnection>& batch,
                                            std::size_t first, std::size_t last, bool* began);

  std::string channel_;
  std::unique_ptr<PgSession> session_;
  std::int64_t failed_batches_ = 0;  // since the last commit
};

// Submit's `apply` follows the contract of PgJobWrites.h.
using PgWriter = WriteQueue<PgCommitter>;

}  // namespace vitarec::store::postgres

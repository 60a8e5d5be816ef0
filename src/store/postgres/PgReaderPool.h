// The readers of a PostgreSQL store: a ReaderPool (store/ReaderPool.h) whose threads each own a
// session, so each read sees the last committed state.
//
// A read that fails because its connection was lost is tried once more on a new connection
// (reads change nothing, so that is safe); while the server stays unreachable reads fail at once
// with kUnavailable and each thread reconnects with backoff (PgSession).
//
// Threading: as ReaderPool; each session is used only by its own thread.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/Error.h"
#include "store/ReaderPool.h"
#include "store/Store.h"
#include "store/postgres/PgSession.h"

namespace vitarec::store::postgres {

class PgReaderPool {
 public:
  // Starts one thread per session (at least one); each owns its session.
  explicit PgReaderPool(std::vector<std::unique_ptr<PgSession>> sessions)
      : pool_(std::move(sessions)) {}

  // Queues `read`, a callable Result<T>(PgConnection&) that only reads; `done` runs exactly once
  // on a reader thread. After Close began, `done` runs at once with kUnavailable "store closed".
  template <typename T, typename Read>
  void Submit(Read read, Callback<T> done) {
    pool_.template Submit<T>(
        [read = std::move(read)](PgSession& session) mutable {
          core::Result<T> result = Attempt<T>(read, session);
          if (!result && session.DropIfBroken()) result = Attempt<T>(read, session);
          return result;
        },
        std::move(done));
  }

  // Stops accepting operations, runs those already queued, joins the threads. Idempotent.
  void Close() { pool_.Close(); }

 private:
  template <typename T, typename Read>
  static core::Result<T> Attempt(Read& read, PgSession& session) {
    auto db = session.Acquire();
    if (!db) return core::Fail(std::move(db.error()));
    return read(**db);
  }

  ReaderPool<PgSession> pool_;
};

}  // namespace vitarec::store::postgres

// The readers of a PostgreSQL store: one thread per read connection, all taking read operations
// from one FIFO queue; each sees the last committed state.
//
// A read that fails because its connection was lost is tried once more on a new connection
// (reads change nothing, so that is safe); while the server stays unreachable reads fail at once
// with kUnavailable and each thread reconnects with backoff (PgSession).
//
// Threading: Submit from any thread. Each session is used only by its own thread. Callbacks run
// on a reader thread, outside the queue lock, so they may start further operations.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/Error.h"
#include "store/Store.h"
#include "store/postgres/PgSession.h"

namespace vitarec::store::postgres {

class PgReaderPool {
 public:
  // Starts one thread per session (at least one); each owns its session.
  explicit PgReaderPool(std::vector<std::unique_ptr<PgSession>> sessions);
  PgReaderPool(const PgReaderPool&) = delete;
  PgReaderPool& operator=(const PgReaderPool&) = delete;
  ~PgReaderPool();  // Close()

  // Queues `read`, a callable Result<T>(PgConnection&) that only reads; `done` runs exactly once
  // on a reader thread. After Close began, `done` runs at once with kUnavailable "store closed".
  template <typename T, typename Read>
  void Submit(Read read, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Read>>(std::move(read), std::move(done)));
  }

  // Stops accepting operations, runs those already queued, joins the threads. Idempotent.
  void Close();

 private:
  class Operation {
   public:
    virtual ~Operation() = default;
    // Runs the read on the session's connection (or fails it) and calls back.
    virtual void Run(PgSession* session, const core::Error& closed) = 0;
  };

  template <typename T, typename ReadFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ReadFn read, Callback<T> done)
        : read_(std::move(read)), done_(std::move(done)) {}
    void Run(PgSession* session, const core::Error& closed) override {
      if (session == nullptr) return done_(core::Fail(closed));
      core::Result<T> result = Attempt(*session);
      if (!result && session->DropIfBroken()) result = Attempt(*session);
      done_(std::move(result));
    }

   private:
    core::Result<T> Attempt(PgSession& session) {
      auto db = session.Acquire();
      if (!db) return core::Fail(std::move(db.error()));
      return read_(**db);
    }
    ReadFn read_;
    Callback<T> done_;
  };

  void Enqueue(std::unique_ptr<Operation> operation);
  void Run(PgSession& session);  // the loop of one reader thread

  std::vector<std::unique_ptr<PgSession>> sessions_;  // [i] used only by threads_[i]

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;  // guarded by mu_
  bool closing_ = false;                          // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::vector<std::thread> threads_;
};

}  // namespace vitarec::store::postgres

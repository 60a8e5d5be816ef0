// The readers of a SQLite store: one thread per read connection, all taking read operations from
// one FIFO queue. In WAL mode they read the last committed state without waiting for the writer.
//
// Threading: Submit from any thread. Each connection is used only by its own thread. Callbacks
// run on a reader thread, outside the queue lock, so they may start further operations.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/Error.h"
#include "store/Store.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

class SqliteReaderPool {
 public:
  // Starts one thread per connection (at least one connection); each owns its connection.
  explicit SqliteReaderPool(std::vector<std::unique_ptr<SqliteConnection>> connections);
  SqliteReaderPool(const SqliteReaderPool&) = delete;
  SqliteReaderPool& operator=(const SqliteReaderPool&) = delete;
  ~SqliteReaderPool();  // Close()

  // Queues `read`, a callable Result<T>(SqliteConnection&) that only reads; `done` runs exactly
  // once on a reader thread with its result. After Close began, `done` runs at once on the
  // calling thread with kUnavailable "store closed".
  template <typename T, typename Read>
  void Submit(Read read, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Read>>(std::move(read), std::move(done)));
  }

  // Stops accepting operations, runs those already queued, joins the threads. Idempotent; must
  // not be called from a reader thread.
  void Close();

 private:
  class Operation {
   public:
    virtual ~Operation() = default;
    // Runs the read on `db`, or fails it with `error` when db is null, and calls back.
    virtual void Run(SqliteConnection* db, const core::Error& error) = 0;
  };

  template <typename T, typename ReadFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ReadFn read, Callback<T> done)
        : read_(std::move(read)), done_(std::move(done)) {}
    void Run(SqliteConnection* db, const core::Error& error) override {
      if (db == nullptr) {
        done_(core::Fail(error));
      } else {
        done_(read_(*db));
      }
    }

   private:
    ReadFn read_;
    Callback<T> done_;
  };

  void Enqueue(std::unique_ptr<Operation> operation);
  void Run(SqliteConnection& db);  // the loop of one reader thread

  std::vector<std::unique_ptr<SqliteConnection>> connections_;  // [i] used only by threads_[i]

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;  // guarded by mu_
  bool closing_ = false;                          // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::vector<std::thread> threads_;
};

}  // namespace vitarec::store::sqlite

// The readers of a store: one thread per read connection, all taking read operations from one
// FIFO queue. `Connection` is whatever a reader thread owns and reads through (a SQLite
// connection, a PostgreSQL session).
//
// Threading: Submit from any thread. Each connection is used only by its own thread. Callbacks
// run on a reader thread, outside the queue lock, so they may start further operations.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/Error.h"
#include "core/Thread.h"
#include "store/Store.h"
#include "store/StoreLog.h"

namespace vitarec::store {

template <typename Connection>
class ReaderPool {
 public:
  // Starts one thread per connection (at least one connection); each owns its connection.
  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
      : connections_(std::move(connections)) {
    threads_.reserve(connections_.size());
    for (auto& connection : connections_) {
      threads_.emplace_back([this, db = connection.get()] {
        core::NameThisThread("store-reader");
        Run(*db);
      });
    }
  }
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;
  ~ReaderPool() { Close(); }

  // Queues `read`, a callable Result<T>(Connection&) that only reads; `done` runs exactly once
  // on a reader thread with its result. After Close began, `done` runs at once on the calling
  // thread with kUnavailable "store closed".
  template <typename T, typename Read>
  void Submit(Read read, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Read>>(std::move(read), std::move(done)));
  }

  // Stops accepting operations, runs those already queued, joins the threads. Idempotent; must
  // not be called from a reader thread.
  void Close() {
    std::lock_guard close_lock(close_mu_);
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  class Operation {
   public:
    virtual ~Operation() = default;
    // Runs the read on `db`, or fails it with `error` when db is null, and calls back.
    virtual void Run(Connection* db, const core::Error& error) = 0;
  };

  template <typename T, typename ReadFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ReadFn read, Callback<T> done)
        : read_(std::move(read)), done_(std::move(done)) {}
    void Run(Connection* db, const core::Error& error) override {
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

  void Enqueue(std::unique_ptr<Operation> operation) {
    {
      std::lock_guard lock(mu_);
      if (!closing_) {
        queue_.push_back(std::move(operation));
        wake_.notify_one();
        return;
      }
    }
    operation->Run(nullptr, core::MakeError(core::ErrorCode::kUnavailable, "store closed"));
  }

  // The loop of one reader thread.
  void Run(Connection& db) {
    const core::Error no_error;
    for (;;) {
      std::unique_ptr<Operation> operation;
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing, and everything queued before has been run
        operation = std::move(queue_.front());
        queue_.pop_front();
      }
      // The callback is the caller's code; a throw must not end this reader thread.
      CallGuarded([&] { operation->Run(&db, no_error); });
    }
  }

  std::vector<std::unique_ptr<Connection>> connections_;  // [i] used only by threads_[i]

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;  // guarded by mu_
  bool closing_ = false;                          // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::vector<std::thread> threads_;
};

}  // namespace vitarec::store

// The single writer of a SQLite store: one thread owns the write connection and applies every
// write operation, from any thread, in submission order, with group commit.
//
// Group commit: the thread takes up to max_batch queued operations and runs them in one
// BEGIN IMMEDIATE ... COMMIT, each inside its own savepoint. An operation that fails on its own
// (kNotFound, kLeaseLost, kInternal) is rolled back to its savepoint and the others go on. A
// storage fault (kUnavailable: disk full, I/O error, read-only, locked past the busy timeout)
// in any statement, or in BEGIN or COMMIT, rolls the whole batch back and every operation of it
// fails with that error; the connection stays usable, so the next batch succeeds once the fault
// has cleared. Only after COMMIT succeeded are the batch's changes published to the listener
// and its callbacks run, in submission order: no callback reports a write that is not durable.
//
// Threading: Submit and SetChangeListener from any thread. Callbacks and the listener run on the
// writer thread, outside the queue lock, so they may Submit again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/Error.h"
#include "store/Store.h"
#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

class SqliteWriter {
 public:
  struct Options {
    int max_batch = 256;  // operations per transaction, at least 1
  };

  // Starts the writer thread, which owns `db` from now on.
  SqliteWriter(std::unique_ptr<SqliteConnection> db, Options options);
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;
  ~SqliteWriter();  // Close()

  // Called with every committed change, in commit order. Set before the first Submit.
  void SetChangeListener(ChangeListener listener);

  // Queues `apply`, a callable Result<T>(SqliteConnection&, std::vector<JobChange>&) following
  // the contract of JobWrites.h. `done` runs exactly once on the writer thread: with apply's
  // result after the commit, or kUnavailable when the batch failed. After Close began, `done`
  // runs at once on the calling thread with kUnavailable "store closed".
  template <typename T, typename Apply>
  void Submit(Apply apply, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Apply>>(std::move(apply), std::move(done)));
  }

  // Stops accepting operations, runs those already queued (committing them), then joins the
  // thread. Idempotent; must not be called from the writer thread.
  void Close();

 private:
  class Operation {
   public:
    virtual ~Operation() = default;
    // Applies the write; nullopt on success, else its error.
    virtual std::optional<core::Error> Apply(SqliteConnection& db) = 0;
    // Delivers the result of Apply, or `batch_error` when the batch did not commit.
    virtual void Complete(const core::Error* batch_error) = 0;
    std::vector<JobChange> changes;  // made by Apply, published after the commit
  };

  template <typename T, typename ApplyFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ApplyFn apply, Callback<T> done)
        : apply_(std::move(apply)), done_(std::move(done)) {}
    std::optional<core::Error> Apply(SqliteConnection& db) override {
      result_ = apply_(db, changes);
      if (result_) return std::nullopt;
      return result_.error();
    }
    void Complete(const core::Error* batch_error) override {
      if (batch_error != nullptr) {
        done_(core::Fail(*batch_error));
      } else {
        done_(std::move(result_));
      }
    }

   private:
    ApplyFn apply_;
    Callback<T> done_;
    core::Result<T> result_ = core::Fail(core::ErrorCode::kInternal, "write never applied");
  };

  using Batch = std::vector<std::unique_ptr<Operation>>;

  void Enqueue(std::unique_ptr<Operation> operation);
  void Run();  // the writer thread's loop
  // Runs `batch` in one transaction; the error that failed the whole batch, if any.
  std::optional<core::Error> Commit(Batch& batch);
  void Deliver(Batch& batch, const core::Error* batch_error);

  const Options options_;
  std::unique_ptr<SqliteConnection> db_;  // used only by thread_
  std::int64_t failed_batches_ = 0;       // since the last commit; used only by thread_

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;    // guarded by mu_
  bool closing_ = false;                            // guarded by mu_
  std::shared_ptr<const ChangeListener> listener_;  // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::thread thread_;
};

}  // namespace vitarec::store::sqlite

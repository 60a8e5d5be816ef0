// The writer of a PostgreSQL store: one thread owns the write connection and applies every write
// operation of this store, from any thread, in submission order, with group commit.
//
// Group commit: the thread takes up to max_batch queued operations and runs them in one
// transaction, then announces their changes with pg_notify in the same transaction (so other
// nodes hear of a change only once it is committed) and commits. An operation that fails on its
// own (kNotFound, kGone, kConflict, kLeaseLost, kCancelled) writes nothing and the others go on.
// A failed statement aborts the transaction: it is rolled back and, when the connection still
// works, every operation of the batch is run again alone in its own transaction, so that only
// the guilty one fails (this also resolves a deadlock with another node's batch). When the
// connection is lost, the operations not yet committed fail with kUnavailable and the next batch
// reconnects (PgSession). Only after the commit are the changes published to the local listener
// and the callbacks run, in submission order.
//
// Threading: Submit from any thread. Callbacks and the listener run on the writer thread,
// outside the queue lock, so they may Submit again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/Error.h"
#include "store/Store.h"
#include "store/postgres/PgChanges.h"
#include "store/postgres/PgSession.h"

namespace vitarec::store::postgres {

class PgWriter {
 public:
  struct Options {
    int max_batch = 256;  // operations per transaction, at least 1
    std::string channel;  // NOTIFY channel (PgMigrations.h NotifyChannel)
  };

  // Starts the writer thread, which owns `session` from now on. `publisher` must outlive this.
  PgWriter(std::unique_ptr<PgSession> session, Options options, const ChangePublisher& publisher);
  PgWriter(const PgWriter&) = delete;
  PgWriter& operator=(const PgWriter&) = delete;
  ~PgWriter();  // Close()

  // Queues `apply`, a callable Result<T>(PgConnection&, std::vector<JobChange>&) following the
  // contract of PgJobWrites.h; it may run twice (see above), each time from scratch. `done` runs
  // exactly once on the writer thread after the commit, or with kUnavailable when the operation
  // could not be committed. After Close began, `done` runs at once with kUnavailable.
  template <typename T, typename Apply>
  void Submit(Apply apply, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Apply>>(std::move(apply), std::move(done)));
  }

  // The server process of the write connection (its notifications are published locally), or 0.
  int backend_pid() const { return session_->backend_pid(); }

  // Stops accepting operations, runs those already queued, joins the thread. Idempotent; not
  // from the writer thread.
  void Close();

 private:
  class Operation {
   public:
    virtual ~Operation() = default;
    virtual std::optional<core::Error> Apply(PgConnection& db) = 0;
    virtual void Complete(const core::Error* failure) = 0;
    std::vector<JobChange> changes;      // made by the last Apply
    std::optional<core::Error> failure;  // set when its transaction did not commit
  };

  template <typename T, typename ApplyFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ApplyFn apply, Callback<T> done)
        : apply_(std::move(apply)), done_(std::move(done)) {}
    std::optional<core::Error> Apply(PgConnection& db) override {
      changes.clear();
      result_ = apply_(db, changes);
      if (result_) return std::nullopt;
      return result_.error();
    }
    void Complete(const core::Error* failure) override {
      if (failure != nullptr) {
        done_(core::Fail(*failure));
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
  // Runs the batch, setting `failure` on each operation that did not commit.
  void Commit(Batch& batch);
  // Runs operations [first, last) of `batch` in one transaction; the error that aborted it.
  // `began` tells whether BEGIN succeeded (when not, nothing reached the server).
  std::optional<core::Error> RunTransaction(PgConnection& db, Batch& batch, std::size_t first,
                                            std::size_t last, bool* began);
  void Deliver(Batch& batch);

  const Options options_;
  const ChangePublisher& publisher_;
  const std::unique_ptr<PgSession> session_;  // used only by thread_ (backend_pid() excepted)
  std::int64_t failed_batches_ = 0;           // since the last commit; used only by thread_

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;  // guarded by mu_
  bool closing_ = false;                          // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::thread thread_;
};

}  // namespace vitarec::store::postgres

// The single writer of a store: one thread applies every write operation, from any thread, in
// submission order, with group commit. The thread takes up to max_batch queued operations and
// hands them to the backend's `Committer`, which runs them in its transactions and marks those
// that did not commit. Only then are the changes of the committed operations published and the
// callbacks run, in submission order: no callback reports a write that is not durable.
//
// Committer: a movable class with `using Connection = ...;` and
// `void Commit(WriteBatch<Connection>& batch)`, which applies every operation of `batch` and sets
// `failure` on each one whose transaction did not commit. It is owned by the writer thread: only
// its thread-safe members may be used from other threads (committer()).
//
// Threading: Submit from any thread. Callbacks and the listener run on the writer thread, outside
// the queue lock, so they may Submit again.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/Error.h"
#include "store/ChangePublisher.h"
#include "store/Store.h"
#include "store/StoreLog.h"

namespace vitarec::store {

// One queued write, as the committer sees it.
template <typename Connection>
class WriteOperation {
 public:
  virtual ~WriteOperation() = default;
  // Applies the write from scratch (an earlier Apply's changes are dropped); nullopt on success,
  // else its error.
  virtual std::optional<core::Error> Apply(Connection& db) = 0;
  // Delivers the result of the last Apply, or `failure` when not null.
  virtual void Complete(const core::Error* failure) = 0;

  std::vector<JobChange> changes;      // made by the last Apply, published after the commit
  std::optional<core::Error> failure;  // set by the committer when its transaction did not commit
};

template <typename Connection>
using WriteBatch = std::vector<std::unique_ptr<WriteOperation<Connection>>>;

template <typename Committer>
class WriteQueue {
 public:
  using Connection = typename Committer::Connection;

  // Starts the writer thread, which owns `committer` from now on. `max_batch` is raised to at
  // least 1. `publisher` must outlive this.
  WriteQueue(Committer committer, int max_batch, const ChangePublisher& publisher)
      : max_batch_(static_cast<std::size_t>(std::max(max_batch, 1))),
        publisher_(publisher),
        committer_(std::move(committer)) {
    thread_ = std::thread([this] { Run(); });
  }
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  ~WriteQueue() { Close(); }

  // Queues `apply`, a callable Result<T>(Connection&, std::vector<JobChange>&) following the
  // backend's write contract; the committer may run it more than once, each time from scratch.
  // `done` runs exactly once on the writer thread: with apply's result after the commit, or with
  // the error that kept it from committing. After Close began, `done` runs at once on the calling
  // thread with kUnavailable "store closed".
  template <typename T, typename Apply>
  void Submit(Apply apply, Callback<T> done) {
    Enqueue(std::make_unique<TypedOperation<T, Apply>>(std::move(apply), std::move(done)));
  }

  // Stops accepting operations, runs those already queued (committing them), then joins the
  // thread. Idempotent; must not be called from the writer thread.
  void Close() {
    std::lock_guard close_lock(close_mu_);
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  // The committer, for its thread-safe members only.
  const Committer& committer() const { return committer_; }

 private:
  using Operation = WriteOperation<Connection>;
  using Batch = WriteBatch<Connection>;

  template <typename T, typename ApplyFn>
  class TypedOperation final : public Operation {
   public:
    TypedOperation(ApplyFn apply, Callback<T> done)
        : apply_(std::move(apply)), done_(std::move(done)) {}
    std::optional<core::Error> Apply(Connection& db) override {
      this->changes.clear();
      result_ = apply_(db, this->changes);
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

  void Enqueue(std::unique_ptr<Operation> operation) {
    {
      std::lock_guard lock(mu_);
      if (!closing_) {
        queue_.push_back(std::move(operation));
        wake_.notify_one();
        return;
      }
    }
    const core::Error closed = core::MakeError(core::ErrorCode::kUnavailable, "store closed");
    operation->Complete(&closed);
  }

  // The writer thread's loop.
  void Run() {
    Batch batch;
    batch.reserve(max_batch_);
    for (;;) {
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing, and everything queued before has been run
        while (!queue_.empty() && batch.size() < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      committer_.Commit(batch);
      Deliver(batch);
      batch.clear();
    }
  }

  void Deliver(Batch& batch) {
    // Callbacks are the caller's code: one that throws must not take the writer thread (and with
    // it every later write) down, nor keep another callback from running.
    for (auto& operation : batch) {
      if (!operation->failure) {
        for (const JobChange& change : operation->changes) publisher_.Publish(change);
      }
      const core::Error* failure = operation->failure ? &*operation->failure : nullptr;
      CallGuarded([&] { operation->Complete(failure); });
    }
  }

  const std::size_t max_batch_;
  const ChangePublisher& publisher_;
  Committer committer_;  // used only by thread_ (thread-safe members excepted)

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Operation>> queue_;  // guarded by mu_
  bool closing_ = false;                          // guarded by mu_

  std::mutex close_mu_;  // serializes Close
  std::thread thread_;
};

}  // namespace vitarec::store

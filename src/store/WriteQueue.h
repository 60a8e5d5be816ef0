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
// Deferred sync (optional): a backend whose COMMIT is fast but whose flush to stable storage is
// slow (SQLite: an fdatasync of the WAL per commit) commits without flushing and passes a `sync`
// function, which makes every commit that returned before the call durable. A second thread,
// store-sync, then runs it for all the batches committed since its last run and only after it
// publishes their changes and runs their callbacks. The writer meanwhile commits the next
// batches: one flush covers several commits and no commit waits for a flush. The guarantee
// stays the same — no callback reports a write that is not durable — but a committed write may
// be read by another connection up to one flush before it is durable.
//
// Threading: Submit from any thread. Callbacks and the listener run on the writer thread (on
// the sync thread with a `sync` function), outside the queue lock, so they may Submit again.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/Error.h"
#include "core/Metrics.h"
#include "core/Thread.h"
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

  // Makes every commit made before the call durable, or returns why it could not; see above.
  using SyncFunction = std::function<core::Result<void>()>;

  // Starts the writer thread, which owns `committer` from now on, and the sync thread when
  // `sync` is set. `max_batch` is raised to at least 1. `publisher` must outlive this.
  WriteQueue(Committer committer, int max_batch, const ChangePublisher& publisher,
             SyncFunction sync = {})
      : max_batch_(static_cast<std::size_t>(std::max(max_batch, 1))),
        publisher_(publisher),
        committer_(std::move(committer)),
        sync_(std::move(sync)) {
    if (sync_) {
      sync_thread_ = std::thread([this] {
        core::NameThisThread("store-sync");
        RunSync();
      });
    }
    thread_ = std::thread([this] {
      core::NameThisThread("store-writer");
      Run();
    });
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

  // Stops accepting operations, runs those already queued (committing and syncing them), then
  // joins the threads. Idempotent; must not be called from the writer or the sync thread.
  void Close() {
    std::lock_guard close_lock(close_mu_);
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    {
      std::lock_guard lock(sync_mu_);
      writer_done_ = true;
    }
    sync_wake_.notify_one();
    if (sync_thread_.joinable()) sync_thread_.join();
  }

  // The committer, for its thread-safe members only.
  const Committer& committer() const { return committer_; }

  // Appends the writer's metrics in the Prometheus text format (any thread).
  void RenderMetrics(std::string& out) const {
    core::RenderHeader(out, "vitarec_store_write_batches_total", "counter",
                       "Transactions of the store's writer (group commits)");
    core::RenderSample(out, "vitarec_store_write_batches_total", "",
                       static_cast<double>(batches_.load(std::memory_order_relaxed)));
    core::RenderHeader(out, "vitarec_store_write_operations_total", "counter",
                       "Write operations run by the store's writer (batches_total divides them)");
    core::RenderSample(out, "vitarec_store_write_operations_total", "",
                       static_cast<double>(operations_.load(std::memory_order_relaxed)));
    core::RenderHeader(out, "vitarec_store_commit_seconds", "histogram",
                       sync_ ? "Time of one writer transaction, from BEGIN to COMMIT (made "
                               "durable by the next sync, vitarec_store_sync_seconds)"
                             : "Time of one writer transaction, from BEGIN to the durable COMMIT");
    commit_seconds_.Render(out, "vitarec_store_commit_seconds", "");
    if (!sync_) return;
    core::RenderHeader(out, "vitarec_store_sync_seconds", "histogram",
                       "Time of one flush to stable storage, covering every commit before it");
    sync_seconds_.Render(out, "vitarec_store_sync_seconds", "");
  }

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
      const auto started = std::chrono::steady_clock::now();
      committer_.Commit(batch);
      commit_seconds_.Record(std::chrono::steady_clock::now() - started);
      batches_.fetch_add(1, std::memory_order_relaxed);
      operations_.fetch_add(batch.size(), std::memory_order_relaxed);
      if (!sync_) {
        Deliver(batch);
        batch.clear();
        continue;
      }
      {
        std::lock_guard lock(sync_mu_);
        for (auto& operation : batch) to_sync_.push_back(std::move(operation));
      }
      sync_wake_.notify_one();
      batch.clear();
    }
  }

  // The sync thread's loop: flushes what the writer committed since the last flush, then
  // delivers it. Ends when the writer has ended and everything it committed was delivered.
  void RunSync() {
    Batch committed;
    for (;;) {
      {
        std::unique_lock lock(sync_mu_);
        sync_wake_.wait(lock, [this] { return writer_done_ || !to_sync_.empty(); });
        if (to_sync_.empty()) return;
        committed.swap(to_sync_);
      }
      const bool any_committed = std::any_of(committed.begin(), committed.end(),
                                             [](const auto& op) { return !op->failure; });
      if (any_committed) {
        const auto started = std::chrono::steady_clock::now();
        const core::Result<void> synced = CallSync();
        sync_seconds_.Record(std::chrono::steady_clock::now() - started);
        if (!synced) {
          // Committed but perhaps not durable: no caller is told it succeeded.
          StoreLog().error("store sync failed ops={} error=\"{}\"", committed.size(),
                           synced.error().message);
          core::Error error = synced.error();
          error.code = core::ErrorCode::kUnavailable;
          for (auto& operation : committed) {
            if (!operation->failure) operation->failure = error;
          }
        }
      }
      Deliver(committed);
      committed.clear();
    }
  }

  core::Result<void> CallSync() {
    try {
      return sync_();
    } catch (const std::exception& e) {
      return core::Fail(core::ErrorCode::kUnavailable, std::string("sync raised: ") + e.what());
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

  core::DurationHistogram commit_seconds_;
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> operations_{0};

  const SyncFunction sync_;  // called only by sync_thread_
  std::mutex sync_mu_;
  std::condition_variable sync_wake_;
  Batch to_sync_;             // guarded by sync_mu_: committed, not yet synced, in order
  bool writer_done_ = false;  // guarded by sync_mu_
  core::DurationHistogram sync_seconds_;

  std::mutex close_mu_;  // serializes Close
  std::thread thread_;
  std::thread sync_thread_;
};

}  // namespace vitarec::store

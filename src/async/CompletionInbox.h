// Hands results from other threads (the store's writer and readers, the job workers) to an I/O
// thread in batches. One inbox per io_context (an Asio service): Deliver queues a function and
// posts a drain to the io_context only when none is pending, so a store batch that completes
// forty requests of one I/O thread costs one wake-up of that thread instead of forty. On this
// machine every cross-thread wake-up (mutex hand-off, eventfd, a context switch) costs more than
// the work it carries; see docs/BENCHMARKS.md.
//
// Threading: Deliver from any thread; the functions run on a thread that runs the io_context, in
// the order they were delivered.
#pragma once

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace vitarec::async {

class CompletionInbox final : public boost::asio::execution_context::service {
 public:
  using key_type = CompletionInbox;
  static inline boost::asio::execution_context::id id;

  explicit CompletionInbox(boost::asio::execution_context& context)
      : boost::asio::execution_context::service(context),
        io_(static_cast<boost::asio::io_context&>(context)) {}

  // The inbox of `executor`'s io_context (created on first use). Every executor used with it
  // must belong to an io_context.
  template <typename Executor>
  static CompletionInbox& Of(const Executor& executor) {
    return boost::asio::use_service<CompletionInbox>(
        boost::asio::query(executor, boost::asio::execution::context));
  }

  void Deliver(std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      pending_.push_back(std::move(fn));
      if (drain_posted_) return;
      drain_posted_ = true;
    }
    boost::asio::post(io_, [this] { Drain(); });
  }

 private:
  void Drain() {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(pending_);
      drain_posted_ = false;
    }
    for (auto& fn : batch) fn();
  }

  // The io_context is going away: what was not delivered is destroyed, like its queued handlers.
  void shutdown() override {
    std::vector<std::function<void()>> dropped;
    std::lock_guard lock(mu_);
    dropped.swap(pending_);
  }

  boost::asio::io_context& io_;
  std::mutex mu_;
  std::vector<std::function<void()>> pending_;  // guarded by mu_
  bool drain_posted_ = false;                   // guarded by mu_
};

}  // namespace vitarec::async

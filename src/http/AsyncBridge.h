// Adapters from the callback APIs of the job layer to C++20 coroutines on Asio executors
// (AwaitCallback: async/AwaitCallback.h).
//
// ChangeWatch subscribes to a job's changes before the caller reads the job, so that no change
// between the read and the wait is missed. Its executor must be run by one thread (each of our
// io_contexts is), which makes "check the latest version, then start the timer wait" atomic
// with respect to the posted wake-ups.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "async/AwaitCallback.h"
#include "core/Error.h"
#include "jobs/ChangeHub.h"

namespace vitarec::http {

namespace asio = boost::asio;

using async::AwaitCallback;

class ChangeWatch {
 public:
  ChangeWatch(jobs::ChangeHub& hub, const std::string& id, asio::any_io_executor executor)
      : hub_(hub), state_(std::make_shared<State>(executor)) {
    token_ = hub_.Subscribe(id, [state = state_](const store::JobChange& change) {
      std::int64_t seen = state->latest.load();
      while (change.version > seen && !state->latest.compare_exchange_weak(seen, change.version)) {
      }
      asio::post(state->timer.get_executor(), [state] { state->timer.cancel(); });
    });
  }
  ~ChangeWatch() { hub_.Unsubscribe(token_); }
  ChangeWatch(const ChangeWatch&) = delete;
  ChangeWatch& operator=(const ChangeWatch&) = delete;

  // True as soon as a change with a version above `seen` has been published since construction;
  // false when `deadline` passed first.
  asio::awaitable<bool> WaitBeyond(std::int64_t seen,
                                   std::chrono::steady_clock::time_point deadline) {
    while (state_->latest.load() <= seen) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      state_->timer.expires_at(deadline);
      co_await state_->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return true;
  }

 private:
  struct State {
    explicit State(asio::any_io_executor ex) : timer(ex) {}
    std::atomic<std::int64_t> latest{0};
    asio::steady_timer timer;  // touched only on its executor's thread
  };
  jobs::ChangeHub& hub_;
  std::shared_ptr<State> state_;
  std::uint64_t token_ = 0;
};

}  // namespace vitarec::http

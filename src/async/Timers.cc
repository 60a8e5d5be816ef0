#include "async/Timers.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace vitarec::async {

namespace asio = boost::asio;

asio::awaitable<bool> Timers::WaitFor(core::Millis delay) {
  return WaitUntil(clock().Now() + delay);
}

namespace {

// A coroutine whose cancellation was emitted before its wait began (the `||` of Asio starts its
// branches later than the emit may come) must not begin a wait that nothing will cancel.
asio::awaitable<bool> AlreadyCancelled() {
  asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

asio::awaitable<bool> SteadyTimers::WaitUntil(core::TimePoint deadline) {
  const core::Millis left = deadline - clock_.Now();
  if (left.count() <= 0) co_return true;
  if (co_await AlreadyCancelled()) co_return false;
  asio::steady_timer timer(co_await asio::this_coro::executor, left);
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

// One wait under way: its timer never expires by itself; Advance cancels it once `due`.
struct FakeTimers::Wait {
  Wait(asio::any_io_executor executor, core::TimePoint at)
      : timer(std::move(executor), asio::steady_timer::time_point::max()), deadline(at) {}
  asio::steady_timer timer;  // touched only on its executor's thread
  const core::TimePoint deadline;
  bool due = false;  // guarded by FakeTimers::mu_
};

FakeTimers::~FakeTimers() = default;

asio::awaitable<bool> FakeTimers::WaitUntil(core::TimePoint deadline) {
  if (clock_.Now() < deadline && co_await AlreadyCancelled()) co_return false;
  auto wait = std::make_shared<Wait>(co_await asio::this_coro::executor, deadline);
  bool already_due = false;
  {
    std::lock_guard lock(mu_);
    already_due = clock_.Now() >= deadline;
    if (!already_due) waits_.push_back(wait);
  }
  changed_.notify_all();
  if (already_due) co_return true;
  co_await wait->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mu_);
  std::erase_if(waits_, [&](const std::weak_ptr<Wait>& w) {
    auto held = w.lock();
    return !held || held == wait;
  });
  co_return wait->due;
}

void FakeTimers::Advance(core::Millis delay) {
  std::vector<std::shared_ptr<Wait>> woken;
  {
    std::lock_guard lock(mu_);
    clock_.Advance(delay);
    const core::TimePoint now = clock_.Now();
    for (const std::weak_ptr<Wait>& w : waits_) {
      auto wait = w.lock();
      if (wait && !wait->due && wait->deadline <= now) {
        wait->due = true;
        woken.push_back(std::move(wait));
      }
    }
  }
  for (const auto& wait : woken) {
    // The post holds a weak reference: a wait whose coroutine (or io_context) is gone is skipped.
    asio::post(wait->timer.get_executor(), [weak = std::weak_ptr<Wait>(wait)] {
      if (auto w = weak.lock()) w->timer.cancel();
    });
  }
}

std::size_t FakeTimers::WaitingLocked() const {
  return static_cast<std::size_t>(std::count_if(waits_.begin(), waits_.end(), [](const auto& w) {
    auto wait = w.lock();
    return wait && !wait->due;
  }));
}

std::size_t FakeTimers::Waiting() const {
  std::lock_guard lock(mu_);
  return WaitingLocked();
}

bool FakeTimers::AwaitWaitFor(core::TimePoint deadline, core::Millis limit) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, limit, [&] {
    return std::any_of(waits_.begin(), waits_.end(), [&](const auto& w) {
      auto wait = w.lock();
      return wait && !wait->due && wait->deadline == deadline;
    });
  });
}

bool FakeTimers::AwaitWaiting(std::size_t count, core::Millis limit) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, limit, [&] { return WaitingLocked() >= count; });
}

}  // namespace vitarec::async

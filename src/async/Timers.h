// Waiting on the service's clock from a coroutine: the seam that lets the job runtime's tests
// move time on command instead of sleeping (core::Clock reads the time; this waits for it).
//
//   SteadyTimers  the real one: an asio::steady_timer per wait, for the system clock's time.
//   FakeTimers    the test twin: its FakeClock moves only by Advance, which wakes every wait
//                 that became due, on the waiting coroutine's own executor.
//
// Cancellation: a wait ends early, answering false, when the awaiting coroutine's cancellation
// slot is emitted (asio::cancellation_signal bound to co_spawn, or the losing branch of an
// awaitable `||`): that is how a job's cancel, a lost lease, its deadline and SIGTERM reach a
// job that is waiting. Neither implementation throws for a cancelled wait.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/Clock.h"

namespace vitarec::async {

class Timers {
 public:
  virtual ~Timers() = default;

  // The clock whose time WaitUntil waits for.
  virtual const core::Clock& clock() const = 0;

  // Suspends the calling coroutine until clock().Now() >= deadline and answers true; answers
  // false when the wait was cancelled first. Answers true at once for a deadline already past.
  // Thread-safe: any number of coroutines on any executors may wait at once.
  virtual boost::asio::awaitable<bool> WaitUntil(core::TimePoint deadline) = 0;

  // WaitUntil(clock().Now() + delay).
  boost::asio::awaitable<bool> WaitFor(core::Millis delay);
};

class SteadyTimers final : public Timers {
 public:
  // `clock` must outlive this object; its time is assumed to move like steady time.
  explicit SteadyTimers(const core::Clock& clock) : clock_(clock) {}
  const core::Clock& clock() const override { return clock_; }
  boost::asio::awaitable<bool> WaitUntil(core::TimePoint deadline) override;

 private:
  const core::Clock& clock_;
};

class FakeTimers final : public Timers {
 public:
  explicit FakeTimers(core::TimePoint start = core::FromUnixMillis(1'800'000'000'000))
      : clock_(start) {}
  ~FakeTimers() override;
  const core::Clock& clock() const override { return clock_; }
  core::FakeClock& fake_clock() { return clock_; }
  boost::asio::awaitable<bool> WaitUntil(core::TimePoint deadline) override;

  // Moves the clock forward and wakes every wait whose deadline is now due (each on its own
  // executor, so they resume after Advance returns). Thread-safe.
  void Advance(core::Millis delay);

  // The number of waits under way (not yet due nor cancelled).
  std::size_t Waiting() const;
  // Blocks the calling thread until at least `count` waits are under way; false when that did
  // not happen within `limit` of real time (a test's safety bound, never reached when it passes).
  bool AwaitWaiting(std::size_t count, core::Millis limit = core::Millis(10000)) const;
  // Blocks until a wait for exactly `deadline` is under way; false after `limit` of real time.
  bool AwaitWaitFor(core::TimePoint deadline, core::Millis limit = core::Millis(10000)) const;

 private:
  struct Wait;
  std::size_t WaitingLocked() const;  // mu_ held

  core::FakeClock clock_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;  // a wait began
  std::vector<std::weak_ptr<Wait>> waits_;   // guarded by mu_; owned by the waiting coroutines
};

}  // namespace vitarec::async

// The waitable time seam: FakeTimers wakes waits when told to, never by real time passing, and a
// cancelled wait ends at once; SteadyTimers waits for real time.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <thread>

#include "async/Timers.h"

namespace vitarec::async {
namespace {

namespace asio = boost::asio;
using core::Millis;

// Runs one io_context on its own thread for the length of a test.
class Loop {
 public:
  Loop() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~Loop() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

// Spawns a wait for `delay` and records what it answered.
struct Spawned {
  std::promise<bool> answer;
  std::future<bool> future = answer.get_future();
  asio::cancellation_signal signal;
};

void SpawnWait(asio::io_context& io, Timers& timers, Millis delay, Spawned& s) {
  asio::co_spawn(
      io, [&timers, delay]() { return timers.WaitFor(delay); },
      asio::bind_cancellation_slot(s.signal.slot(), [&s](std::exception_ptr e, bool due) {
        if (e) std::rethrow_exception(e);
        s.answer.set_value(due);
      }));
}

TEST(FakeTimersTest, AWaitEndsOnlyWhenTheClockIsAdvancedToItsDeadline) {
  FakeTimers timers;
  Loop loop;
  Spawned s;
  SpawnWait(loop.io(), timers, Millis(5000), s);
  ASSERT_TRUE(timers.AwaitWaiting(1));

  timers.Advance(Millis(4999));
  EXPECT_EQ(timers.Waiting(), 1u);
  timers.Advance(Millis(1));

  EXPECT_TRUE(s.future.get());
  EXPECT_EQ(timers.Waiting(), 0u);
}

TEST(FakeTimersTest, EachWaitWakesWhenTheClockPassesItsDeadline) {
  FakeTimers timers;
  Loop loop;
  std::array<Spawned, 3> s;
  const Millis delays[] = {Millis(300), Millis(100), Millis(200)};
  for (std::size_t i = 0; i < s.size(); ++i) SpawnWait(loop.io(), timers, delays[i], s[i]);
  ASSERT_TRUE(timers.AwaitWaiting(3));

  timers.Advance(Millis(150));
  EXPECT_TRUE(s[1].future.get());
  EXPECT_EQ(timers.Waiting(), 2u);
  timers.Advance(Millis(150));
  EXPECT_TRUE(s[2].future.get());
  EXPECT_TRUE(s[0].future.get());
}

TEST(FakeTimersTest, ACancelledWaitAnswersFalseAtOnce) {
  FakeTimers timers;
  Loop loop;
  Spawned s;
  SpawnWait(loop.io(), timers, Millis(60000), s);
  ASSERT_TRUE(timers.AwaitWaiting(1));

  asio::post(loop.io(), [&] { s.signal.emit(asio::cancellation_type::terminal); });

  EXPECT_FALSE(s.future.get());
  EXPECT_EQ(timers.Waiting(), 0u);
}

TEST(FakeTimersTest, ADeadlineAlreadyPastAnswersTrueWithoutWaiting) {
  FakeTimers timers;
  Loop loop;
  Spawned s;
  SpawnWait(loop.io(), timers, Millis(0), s);
  EXPECT_TRUE(s.future.get());
}

TEST(SteadyTimersTest, WaitsForRealTimeAndCanBeCancelled) {
  core::SystemClock clock;
  SteadyTimers timers(clock);
  Loop loop;
  Spawned quick, slow;
  const auto started = std::chrono::steady_clock::now();
  SpawnWait(loop.io(), timers, Millis(20), quick);
  SpawnWait(loop.io(), timers, Millis(60000), slow);

  EXPECT_TRUE(quick.future.get());
  EXPECT_GE(std::chrono::steady_clock::now() - started, Millis(19));
  asio::post(loop.io(), [&] { slow.signal.emit(asio::cancellation_type::terminal); });
  EXPECT_FALSE(slow.future.get());
}

}  // namespace
}  // namespace vitarec::async

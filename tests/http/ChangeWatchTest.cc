#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "http/AsyncBridge.h"

namespace vitarec::http {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `body` as a coroutine on a one-thread io_context until it finishes.
template <typename Body>
void RunCoroutine(Body body) {
  asio::io_context ioc(1);
  asio::co_spawn(ioc, std::move(body), asio::detached);
  ioc.run();
}

TEST(ChangeWatchTest, WakesAsSoonAsANewerVersionIsPublished) {
  jobs::ChangeHub hub;
  bool changed = false;
  Clock::duration waited{};
  std::thread publisher;
  RunCoroutine([&]() -> asio::awaitable<void> {
    ChangeWatch watch(hub, "job", co_await asio::this_coro::executor);
    publisher = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      hub.Publish({"job", 2, store::JobState::kRunning});
    });
    const auto started = Clock::now();
    changed = co_await watch.WaitBeyond(1, started + std::chrono::seconds(5));
    waited = Clock::now() - started;
  });
  publisher.join();
  EXPECT_TRUE(changed);
  EXPECT_LT(waited, std::chrono::seconds(2));
}

TEST(ChangeWatchTest, AChangePublishedBeforeTheWaitIsNotMissed) {
  jobs::ChangeHub hub;
  bool changed = false;
  RunCoroutine([&]() -> asio::awaitable<void> {
    ChangeWatch watch(hub, "job", co_await asio::this_coro::executor);
    hub.Publish({"job", 3, store::JobState::kCompleted});
    changed = co_await watch.WaitBeyond(1, Clock::now() + std::chrono::seconds(5));
  });
  EXPECT_TRUE(changed);
}

TEST(ChangeWatchTest, GivesUpAtTheDeadlineWhenNothingChanges) {
  jobs::ChangeHub hub;
  bool changed = true;
  RunCoroutine([&]() -> asio::awaitable<void> {
    ChangeWatch watch(hub, "job", co_await asio::this_coro::executor);
    hub.Publish({"other", 9, store::JobState::kCompleted});
    hub.Publish({"job", 1, store::JobState::kQueued});  // not newer than what was seen
    changed = co_await watch.WaitBeyond(1, Clock::now() + std::chrono::milliseconds(100));
  });
  EXPECT_FALSE(changed);
}

}  // namespace
}  // namespace vitarec::http

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>

#include "jobs/ChangeHub.h"

namespace vitarec::jobs {
namespace {

TEST(ChangeHubTest, DeliversChangesOnlyToSubscribersOfThatJob) {
  ChangeHub hub;
  std::vector<std::int64_t> a_versions, b_versions;
  const auto a =
      hub.Subscribe("a", [&](const store::JobChange& c) { a_versions.push_back(c.version); });
  hub.Subscribe("b", [&](const store::JobChange& c) { b_versions.push_back(c.version); });
  hub.Publish({"a", 2, store::JobState::kRunning});
  hub.Publish({"b", 5, store::JobState::kCompleted});
  hub.Publish({"c", 1, store::JobState::kQueued});
  hub.Unsubscribe(a);
  hub.Publish({"a", 3, store::JobState::kCompleted});
  EXPECT_EQ(a_versions, std::vector<std::int64_t>{2});
  EXPECT_EQ(b_versions, std::vector<std::int64_t>{5});
  EXPECT_EQ(hub.SubscriberCount(), 1u);
}

TEST(ChangeHubTest, AWaiterMayUnsubscribeItselfWhileBeingCalled) {
  ChangeHub hub;
  int calls = 0;
  std::uint64_t token = 0;
  token = hub.Subscribe("a", [&](const store::JobChange&) {
    ++calls;
    hub.Unsubscribe(token);
  });
  hub.Publish({"a", 2, store::JobState::kRunning});
  hub.Publish({"a", 3, store::JobState::kRunning});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(hub.SubscriberCount(), 0u);
}

// What lets a waiter own objects bound to the unsubscriber's thread (ChangeWatch's timer, whose
// io_context may be gone right after): the hub neither runs nor holds the waiter once
// Unsubscribe returned, even while another thread was calling it.
TEST(ChangeHubTest, UnsubscribeWaitsForACallUnderWayAndReleasesTheWaiter) {
  ChangeHub hub;
  std::promise<void> entered, finish;
  std::atomic<bool> call_ended{false};
  auto owned = std::make_shared<int>(0);
  const std::weak_ptr<int> owned_weak = owned;
  const auto token = hub.Subscribe("a", [&, owned](const store::JobChange&) {
    entered.set_value();
    finish.get_future().wait();
    call_ended = true;
  });
  owned.reset();  // the waiter holds the only reference
  std::thread publisher([&] { hub.Publish({"a", 2, store::JobState::kRunning}); });
  entered.get_future().wait();

  bool ended_when_returned = false, released_when_returned = false;
  std::thread unsubscriber([&] {
    hub.Unsubscribe(token);
    ended_when_returned = call_ended.load();
    released_when_returned = owned_weak.expired();
  });
  // The subscription leaves the hub's table before Unsubscribe waits for the call.
  while (hub.SubscriberCount() != 0) std::this_thread::yield();
  finish.set_value();
  unsubscriber.join();
  publisher.join();
  EXPECT_TRUE(ended_when_returned);
  EXPECT_TRUE(released_when_returned);
}

TEST(ChangeHubTest, AWaiterUnsubscribedBeforeItsTurnIsNotCalled) {
  ChangeHub hub;
  std::uint64_t second = 0;
  int second_calls = 0;
  hub.Subscribe("a", [&](const store::JobChange&) { hub.Unsubscribe(second); });
  second = hub.Subscribe("a", [&](const store::JobChange&) { ++second_calls; });
  hub.Publish({"a", 2, store::JobState::kRunning});
  EXPECT_EQ(second_calls, 0);
  EXPECT_EQ(hub.SubscriberCount(), 1u);
}

}  // namespace
}  // namespace vitarec::jobs

#include "jobs/ChangeHub.h"

#include <gtest/gtest.h>

namespace vitarec::jobs {
namespace {

TEST(ChangeHubTest, DeliversChangesOnlyToSubscribersOfThatJob) {
  ChangeHub hub;
  std::vector<std::int64_t> a_versions, b_versions;
  const auto a = hub.Subscribe("a", [&](const store::JobChange& c) { a_versions.push_back(c.version); });
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

}  // namespace
}  // namespace vitarec::jobs

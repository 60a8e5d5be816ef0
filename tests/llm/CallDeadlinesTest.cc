#include <gtest/gtest.h>

#include "llm/CallDeadlines.h"

namespace vitarec::llm {
namespace {

using std::chrono::seconds;

const CallTimeouts kTimeouts{
    .connect = seconds(5), .first_token = seconds(20), .idle = seconds(10), .total = seconds(60)};

TEST(CallDeadlinesTest, EachPhaseHasItsOwnLimit) {
  core::FakeClock clock;
  const core::TimePoint t0 = clock.Now();
  CallDeadlines d(kTimeouts, t0);
  EXPECT_EQ(d.Next().at, t0 + seconds(5));
  EXPECT_EQ(d.Next().kind, FailureKind::kConnectTimeout);
  EXPECT_FALSE(d.Expired(t0 + seconds(4)));
  EXPECT_EQ(d.Expired(t0 + seconds(5)), FailureKind::kConnectTimeout);

  d.Connected(t0 + seconds(1));
  EXPECT_EQ(d.Next().at, t0 + seconds(21));
  EXPECT_EQ(d.Expired(t0 + seconds(21)), FailureKind::kFirstTokenTimeout);

  d.Content(t0 + seconds(15));
  EXPECT_EQ(d.Next().at, t0 + seconds(25));
  EXPECT_EQ(d.Next().kind, FailureKind::kIdleTimeout);
  d.Content(t0 + seconds(24));
  EXPECT_FALSE(d.Expired(t0 + seconds(33)));
  EXPECT_EQ(d.Expired(t0 + seconds(34)), FailureKind::kIdleTimeout);
}

TEST(CallDeadlinesTest, TheTotalLimitAlwaysApplies) {
  core::FakeClock clock;
  const core::TimePoint t0 = clock.Now();
  CallDeadlines d(kTimeouts, t0);
  d.Connected(t0 + seconds(1));
  for (int s = 2; s < 70; s += 5) d.Content(t0 + seconds(s));  // steady progress
  EXPECT_EQ(d.Next().at, t0 + seconds(60));
  EXPECT_EQ(d.Next().kind, FailureKind::kTotalTimeout);
  EXPECT_EQ(d.Expired(t0 + seconds(60)), FailureKind::kTotalTimeout);

  CallDeadlines slow_connect(CallTimeouts{.connect = seconds(90), .total = seconds(60)}, t0);
  EXPECT_EQ(slow_connect.Next().kind, FailureKind::kTotalTimeout);
}

}  // namespace
}  // namespace vitarec::llm

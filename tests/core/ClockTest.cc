#include <gtest/gtest.h>

#include "core/Clock.h"

namespace vitarec::core {
namespace {

TEST(ClockTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatIso8601(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromUnixMillis(1'795'875'656'123)), "2026-11-28T14:20:56.123Z");
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(FromUnixMillis(1000));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1000);
  clock.Advance(Millis(250));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1250);
}

}  // namespace
}  // namespace vitarec::core

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "llm/CallBudget.h"

namespace vitarec::llm {
namespace {

using core::Millis;
using std::chrono::seconds;

class CallBudgetTest : public ::testing::Test {
 protected:
  core::FakeClock clock_;
};

TEST_F(CallBudgetTest, ConcurrencyLimitWaitsForARelease) {
  CallBudget budget(BudgetOptions{.max_concurrent = 2}, clock_);
  auto a = budget.TryStart(10);
  auto b = budget.TryStart(10);
  ASSERT_TRUE(a.permit && b.permit);
  auto c = budget.TryStart(10);
  EXPECT_FALSE(c.permit);
  EXPECT_EQ(c.wait, CallBudget::Wait::kForRelease);
  EXPECT_EQ(c.why, "concurrency");
  EXPECT_EQ(budget.Current().in_flight, 2);
  a.permit->Finish(7);
  a.permit->Finish(7);  // only the first counts
  EXPECT_EQ(budget.Current().in_flight, 1);
  EXPECT_TRUE(budget.TryStart(10).permit);  // released again at once by the destructor
  { auto d = std::move(b.permit); }         // destroyed without Finish: released too
  EXPECT_EQ(budget.Current().in_flight, 0);
}

TEST_F(CallBudgetTest, RequestsPerMinuteIsASlidingWindow) {
  CallBudget budget(BudgetOptions{.max_concurrent = 0, .requests_per_minute = 3}, clock_);
  const core::TimePoint t0 = clock_.Now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(budget.TryStart(1).permit);
    clock_.Advance(seconds(10));
  }
  auto full = budget.TryStart(1);
  EXPECT_FALSE(full.permit);
  EXPECT_EQ(full.wait, CallBudget::Wait::kUntil);
  EXPECT_EQ(full.why, "requests_per_minute");
  EXPECT_EQ(full.until, t0 + seconds(60));  // when the first start leaves the window
  clock_.Set(t0 + seconds(60) - Millis(1));
  EXPECT_FALSE(budget.TryStart(1).permit);
  clock_.Set(t0 + seconds(60));
  EXPECT_TRUE(budget.TryStart(1).permit);
  EXPECT_FALSE(budget.TryStart(1).permit);  // the second start (t0 + 10 s) is still inside
}

TEST_F(CallBudgetTest, TokensAreChargedTheEstimateThenTheReportedUsage) {
  CallBudget budget(BudgetOptions{.max_concurrent = 0, .tokens_per_minute = 1000}, clock_);
  const core::TimePoint t0 = clock_.Now();
  auto first = budget.TryStart(600);
  ASSERT_TRUE(first.permit);
  clock_.Advance(seconds(5));
  auto second = budget.TryStart(600);  // 600 + 600 > 1000
  EXPECT_FALSE(second.permit);
  EXPECT_EQ(second.why, "tokens_per_minute");
  EXPECT_EQ(second.until, t0 + seconds(60));
  first.permit->Finish(250);  // the server reported fewer tokens than estimated
  EXPECT_EQ(budget.Current().tokens_in_window, 250);
  auto third = budget.TryStart(600);
  ASSERT_TRUE(third.permit);
  third.permit->Finish(std::nullopt);  // no usage reported: the estimate stays
  EXPECT_EQ(budget.Current().tokens_in_window, 850);
  // 850 used; 400 more needs the first call (250) out of the window: 200 would not do.
  auto fourth = budget.TryStart(400);
  EXPECT_EQ(fourth.until, t0 + seconds(60));
  auto small = budget.TryStart(150);
  EXPECT_TRUE(small.permit);
}

TEST_F(CallBudgetTest, AnEstimateOverTheLimitStartsAlone) {
  CallBudget budget(BudgetOptions{.max_concurrent = 0, .tokens_per_minute = 100}, clock_);
  EXPECT_TRUE(budget.TryStart(500).permit);  // empty window: admitted
  clock_.Advance(seconds(1));
  auto next = budget.TryStart(500);
  EXPECT_FALSE(next.permit);
  EXPECT_EQ(next.until, clock_.Now() - seconds(1) + seconds(60));
}

TEST_F(CallBudgetTest, TheLaterOfTwoRateLimitsWins) {
  CallBudget budget(
      BudgetOptions{.max_concurrent = 0, .requests_per_minute = 2, .tokens_per_minute = 100},
      clock_);
  const core::TimePoint t0 = clock_.Now();
  ASSERT_TRUE(budget.TryStart(10).permit);
  clock_.Advance(seconds(20));
  ASSERT_TRUE(budget.TryStart(80).permit);
  clock_.Advance(seconds(1));
  auto a = budget.TryStart(50);  // requests: wait for t0 + 60; tokens: 90 + 50 needs t0 + 80
  EXPECT_EQ(a.until, t0 + seconds(80));
  EXPECT_EQ(a.why, "tokens_per_minute");
}

TEST(CallBudgetEstimateTest, PromptBytesOverFourPlusFramingPlusTheCompletionLimit) {
  const std::vector<ChatMessage> messages = {{"system", std::string(400, 'x')},
                                             {"user", std::string(101, 'y')}};
  EXPECT_EQ(EstimateCallTokens(messages, 700), 126 + 8 + 700);
}

TEST(CallBudgetThreadsTest, NeverMoreInFlightThanTheLimit) {
  core::FakeClock clock;
  CallBudget budget(BudgetOptions{.max_concurrent = 3}, clock);
  std::atomic<int> running{0}, peak{0}, started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto a = budget.TryStart(1);
        if (!a.permit) continue;
        const int now = ++running;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        ++started;
        --running;
        a.permit->Finish(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_GT(started.load(), 0);
  EXPECT_EQ(budget.Current().in_flight, 0);
  EXPECT_EQ(budget.Current().requests_in_window, started.load());
}

}  // namespace
}  // namespace vitarec::llm

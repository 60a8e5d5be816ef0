#include <gtest/gtest.h>

#include "llm/HttpFailure.h"
#include "llm/KbSupport.h"
#include "llm/NarrativeAttempt.h"
#include "llm/RetryPolicy.h"

namespace vitarec::llm {
namespace {

using std::chrono::seconds;

std::string Content(std::string_view text) {
  return R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":")" +
         std::string(text) + R"("},"finish_reason":null}]})" + "\n\n";
}
std::string Finish(std::string_view reason) {
  return R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":")" +
         std::string(reason) + R"("}]})" + "\n\n";
}
const std::string kUsage =
    "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}"
    "\n\n";
const std::string kDone = "data: [DONE]\n\n";

class NarrativeAttemptTest : public ::testing::Test {
 protected:
  NarrativeAttemptTest()
      : result_(testing::Recommend("magnesio", "es")), facts_(FactsOf(result_, testing::Names())) {}

  NarrativeAttempt Start(AttemptOptions options = {}) {
    NarrativeAttempt a(facts_, testing::Names(), options, clock_.Now());
    a.Connected(clock_.Now());
    return a;
  }

  core::FakeClock clock_;
  boost::json::object result_;
  GroundingFacts facts_;
};

struct Case {
  const char* name;
  std::vector<std::string> body;  // pieces, one second apart
  bool end_of_body;               // the body ended after them
  std::string status;
  std::string reason;
  std::string text;
  std::string label = "";  // FailureLabel when failed
};

TEST_F(NarrativeAttemptTest, EndsAsTheStreamSays) {
  const Case cases[] = {
      {"a complete narrative",
       {Content("El magnesio ayuda. "), Content("Toma 200 mg."), Finish("stop"), kUsage, kDone},
       true,
       "complete",
       "",
       "El magnesio ayuda. Toma 200 mg."},
      {"finish and end of body without [DONE]",
       {Content("El magnesio ayuda."), Finish("stop")},
       true,
       "complete",
       "",
       "El magnesio ayuda."},
      {"cut by the token limit: the unfinished sentence is dropped",
       {Content("El magnesio ayuda. Toma 2"), Finish("length"), kDone},
       true,
       "complete",
       "",
       "El magnesio ayuda. "},
      {"a wrong dose",
       {Content("El magnesio ayuda. Toma 900 mg al día. Fin.")},
       false,
       "unavailable",
       "inconsistent",
       "El magnesio ayuda. "},
      {"another supplement",
       {Content("Tómalo con zinc. ")},
       false,
       "unavailable",
       "inconsistent",
       ""},
      {"an error event mid-stream",
       {Content("El magnesio ayuda. "),
        "data: {\"error\":{\"message\":\"x\",\"type\":\"server_error\",\"code\":null}}\n\n"},
       false,
       "unavailable",
       "refused",
       "El magnesio ayuda. ",
       "stream_error"},
      {"a malformed chunk",
       {Content("Hola. "), "data: {nope\n\n"},
       false,
       "unavailable",
       "refused",
       "Hola. ",
       "malformed"},
      {"reset before the end",
       {Content("Hola. ")},
       true,
       "unavailable",
       "refused",
       "Hola. ",
       "connection_lost"},
      {"a refusal",
       {"data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"No.\"}}]}\n\n"},
       false,
       "unavailable",
       "refused",
       "",
       "refusal"},
      {"the content filter",
       {Content("Hola. "), Finish("content_filter")},
       false,
       "unavailable",
       "refused",
       "Hola. ",
       "refusal"},
      {"an empty answer", {Finish("stop"), kDone}, true, "unavailable", "refused", "", "empty"},
      {"still writing",
       {Content("El magnesio ayuda. Toma")},
       false,
       "writing",
       "",
       "El magnesio ayuda. "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    NarrativeAttempt a = Start();
    std::string shown;
    for (const std::string& piece : c.body) {
      clock_.Advance(seconds(1));
      shown += a.Body(piece, clock_.Now());
    }
    if (c.end_of_body) shown += a.EndOfBody(clock_.Now());
    EXPECT_EQ(a.Status(), c.status);
    EXPECT_EQ(a.Reason(), c.reason);
    EXPECT_EQ(shown, c.text);
    EXPECT_EQ(a.text(), c.text);
    EXPECT_EQ(a.failure() ? FailureLabel(*a.failure()) : "", c.label);
  }
}

TEST_F(NarrativeAttemptTest, ReportsUsageAndContentReceived) {
  NarrativeAttempt a = Start();
  a.Body(Content("Hola. ") + Finish("stop") + kUsage + kDone, clock_.Now());
  ASSERT_TRUE(a.usage());
  EXPECT_EQ(a.usage()->total_tokens, 15);
  EXPECT_EQ(a.finish_reason(), "stop");

  NarrativeAttempt b = Start();
  b.Body(Content("Hola"), clock_.Now());
  b.ConnectionFailed(FailureKind::kConnectionLost);
  ASSERT_TRUE(b.failure());
  EXPECT_TRUE(b.failure()->content_received);  // so it is not retried
  EXPECT_FALSE(Retryable(*b.failure()));
}

TEST_F(NarrativeAttemptTest, KeepAlivesAreNotProgress) {
  NarrativeAttempt a = Start(AttemptOptions{.timeouts = {.first_token = seconds(20)}});
  for (int i = 0; i < 19; ++i) {
    clock_.Advance(seconds(1));
    a.Body(": keep-alive\n\n", clock_.Now());
    a.Tick(clock_.Now());
  }
  EXPECT_FALSE(a.ended());
  EXPECT_EQ(a.NextDeadline().kind, FailureKind::kFirstTokenTimeout);
  clock_.Advance(seconds(1));
  a.Body(": keep-alive\n\n", clock_.Now());
  a.Tick(clock_.Now());
  EXPECT_EQ(a.Reason(), "timeout");
  EXPECT_EQ(FailureLabel(*a.failure()), "timeout_first_token");
  EXPECT_TRUE(Retryable(*a.failure()));
}

TEST_F(NarrativeAttemptTest, AStallAfterContentIsAnIdleTimeout) {
  NarrativeAttempt a = Start(AttemptOptions{.timeouts = {.idle = seconds(10)}});
  a.Body(Content("El magnesio ayuda. "), clock_.Now());
  clock_.Advance(seconds(9));
  a.Tick(clock_.Now());
  EXPECT_FALSE(a.ended());
  clock_.Advance(seconds(1));
  a.Tick(clock_.Now());
  EXPECT_EQ(FailureLabel(*a.failure()), "timeout_idle");
  EXPECT_EQ(a.text(), "El magnesio ayuda. ");
}

TEST_F(NarrativeAttemptTest, AnOverlongAnswerIsCutAtItsLastBoundary) {
  NarrativeAttempt a = Start(AttemptOptions{.timeouts = {}, .max_chars = 100});
  std::string shown;
  for (int i = 0; i < 50 && !a.ended(); ++i)
    shown += a.Body(Content("El magnesio ayuda. "), clock_.Now());
  EXPECT_EQ(a.Status(), "complete");
  EXPECT_LE(shown.size(), 120u);
  EXPECT_EQ(shown.back(), ' ');
  EXPECT_EQ(a.Body(Content("Más. "), clock_.Now()), "");  // nothing after the end
}

TEST(HttpFailureTest, ReadsTheErrorBodyAndRetryHeaders) {
  const core::TimePoint now = core::FromUnixMillis(1'796'292'000'000);
  const struct {
    int status;
    std::string body, retry_after, retry_after_ms;
    std::string label;
    std::optional<std::int64_t> retry_ms;
  } cases[] = {
      {429, R"({"error":{"message":"m","type":"requests","code":"rate_limit_exceeded"}})", "3", "",
       "http_429", 3000},
      {429, R"({"error":{"message":"m","type":"requests","code":"rate_limit_exceeded"}})", "3",
       "1500", "http_429", 1500},
      {429, R"({"error":{"message":"m","type":"insufficient_quota","code":"insufficient_quota"}})",
       "", "", "http_429_quota", std::nullopt},
      {400, R"({"object":"error","message":"m","type":"BadRequestError","code":400})", "", "",
       "http_400", std::nullopt},
      {502, "<html>Bad gateway</html>", "Thu, 03 Dec 2026 10:00:10 GMT", "", "http_502", 10000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    const CallFailure f = FailureFromHttp(c.status, c.body, c.retry_after, c.retry_after_ms, now);
    EXPECT_EQ(FailureLabel(f), c.label);
    ASSERT_EQ(f.retry_after.has_value(), c.retry_ms.has_value());
    if (f.retry_after) {
      EXPECT_EQ(f.retry_after->count(), *c.retry_ms);
    }
  }
  EXPECT_EQ(
      FailureFromHttp(400, R"({"object":"error","type":"BadRequestError","code":400})", "", "", now)
          .error_code,
      "400");
}

}  // namespace
}  // namespace vitarec::llm

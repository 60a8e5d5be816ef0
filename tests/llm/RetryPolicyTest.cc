#include <gtest/gtest.h>

#include "llm/RetryPolicy.h"

namespace vitarec::llm {
namespace {

using core::Millis;

CallFailure Http(int status, std::string type = "", std::string code = "") {
  CallFailure f;
  f.kind = FailureKind::kHttpStatus;
  f.http_status = status;
  f.error_type = std::move(type);
  f.error_code = std::move(code);
  return f;
}

CallFailure Of(FailureKind kind, bool content_received = false) {
  CallFailure f;
  f.kind = kind;
  f.content_received = content_received;
  return f;
}

CallFailure StreamError(std::string type, std::string code) {
  CallFailure f = Of(FailureKind::kStreamError);
  f.error_type = std::move(type);
  f.error_code = std::move(code);
  return f;
}

TEST(RetryPolicyTest, WhichFailuresAreRetried) {
  const struct {
    const char* name;
    CallFailure failure;
    bool retryable;
    std::string reason;
    std::string label;
  } cases[] = {
      {"429 rate limit", Http(429, "requests", "rate_limit_exceeded"), true, "refused", "http_429"},
      {"429 quota (type)", Http(429, "insufficient_quota", ""), false, "refused", "http_429_quota"},
      {"429 quota (code)", Http(429, "", "insufficient_quota"), false, "refused", "http_429_quota"},
      {"500", Http(500, "server_error"), true, "refused", "http_500"},
      {"502", Http(502), true, "refused", "http_502"},
      {"503", Http(503), true, "refused", "http_503"},
      {"408", Http(408), true, "refused", "http_408"},
      {"409", Http(409), true, "refused", "http_409"},
      {"400", Http(400, "invalid_request_error"), false, "refused", "http_400"},
      {"401", Http(401, "invalid_api_key"), false, "refused", "http_401"},
      {"403", Http(403), false, "refused", "http_403"},
      {"404", Http(404, "invalid_request_error", "model_not_found"), false, "refused", "http_404"},
      {"422", Http(422), false, "refused", "http_422"},
      {"connect", Of(FailureKind::kConnect), true, "refused", "connect"},
      {"reset before content", Of(FailureKind::kConnectionLost), true, "refused",
       "connection_lost"},
      {"reset after content", Of(FailureKind::kConnectionLost, true), false, "refused",
       "connection_lost"},
      {"connect timeout", Of(FailureKind::kConnectTimeout), true, "timeout", "timeout_connect"},
      {"first token timeout", Of(FailureKind::kFirstTokenTimeout), true, "timeout",
       "timeout_first_token"},
      {"idle timeout", Of(FailureKind::kIdleTimeout, true), false, "timeout", "timeout_idle"},
      {"total timeout", Of(FailureKind::kTotalTimeout), false, "timeout", "timeout_total"},
      {"malformed", Of(FailureKind::kMalformed), false, "refused", "malformed"},
      {"refusal", Of(FailureKind::kRefusal), false, "refused", "refusal"},
      {"stream server error", StreamError("server_error", "500"), true, "refused", "stream_error"},
      {"stream request error", StreamError("invalid_request_error", "400"), false, "refused",
       "stream_error"},
      {"stream 400 code only", StreamError("", "400"), false, "refused", "stream_error"},
      {"stream quota", StreamError("insufficient_quota", ""), false, "refused",
       "stream_error_quota"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Retryable(c.failure), c.retryable);
    EXPECT_EQ(NarrativeReason(c.failure), c.reason);
    EXPECT_EQ(FailureLabel(c.failure), c.label);
  }
}

TEST(RetryPolicyTest, ExponentialBackoffWithEqualJitter) {
  const RetryOptions options{.max_attempts = 10,
                             .base_delay = Millis(500),
                             .max_delay = Millis(8000),
                             .retry_after_cap = Millis(20000)};
  const struct {
    int attempts_made;
    double u;
    std::int64_t ms;
  } cases[] = {
      {1, 0.0, 250},   {1, 0.999999, 499}, {2, 0.0, 500},  {2, 0.5, 750},
      {3, 0.0, 1000},  {4, 1.0, 4000},     {5, 0.0, 4000}, {6, 1.0, 8000},  // capped at max_delay
      {40, 0.5, 6000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attempts_made);
    EXPECT_EQ(BackoffDelay(c.attempts_made, c.u, options).count(), c.ms);
  }
}

TEST(RetryPolicyTest, DecisionsHonourRetryAfterAttemptsAndTime) {
  const RetryOptions options{.max_attempts = 3,
                             .base_delay = Millis(500),
                             .max_delay = Millis(8000),
                             .retry_after_cap = Millis(20000)};
  CallFailure limited = Http(429, "requests", "rate_limit_exceeded");
  limited.retry_after = Millis(7000);
  CallFailure too_long = limited;
  too_long.retry_after = Millis(60000);
  const struct {
    const char* name;
    CallFailure failure;
    int attempts_made;
    Millis time_left;
    bool retry;
    std::int64_t delay_ms;
    std::string why;
  } cases[] = {
      {"backoff", Http(503), 1, Millis(30000), true, 375, "backoff"},
      {"second backoff", Http(503), 2, Millis(30000), true, 750, "backoff"},
      {"attempts exhausted", Http(503), 3, Millis(30000), false, 0, "attempts_exhausted"},
      {"retry-after honoured", limited, 1, Millis(30000), true, 7000, "retry_after"},
      {"retry-after over the cap", too_long, 1, Millis(90000), false, 0, "retry_after_over_cap"},
      {"retry-after past the deadline", limited, 1, Millis(5000), false, 0, "no_time_left"},
      {"backoff past the deadline", Http(503), 1, Millis(100), false, 0, "no_time_left"},
      {"quota", Http(429, "insufficient_quota"), 1, Millis(30000), false, 0, "not_retryable"},
      {"400", Http(400), 1, Millis(30000), false, 0, "not_retryable"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const RetryDecision d = DecideRetry(c.failure, c.attempts_made, c.time_left, 0.5, options);
    EXPECT_EQ(d.retry, c.retry);
    EXPECT_EQ(d.delay.count(), c.delay_ms);
    EXPECT_EQ(d.why, c.why);
  }
}

TEST(RetryPolicyTest, ParsesRetryAfterInSecondsAndHttpDates) {
  // 2026-12-03T10:00:00Z, a Thursday.
  const core::TimePoint now = core::FromUnixMillis(1'796'292'000'000);
  const struct {
    std::string value;
    std::optional<std::int64_t> ms;
  } cases[] = {
      {"0", 0},
      {"7", 7000},
      {" 120 ", 120000},
      {"Thu, 03 Dec 2026 10:00:30 GMT", 30000},
      {"Thursday, 03-Dec-26 10:01:00 GMT", 60000},
      {"Thu Dec  3 10:00:05 2026", 5000},
      {"Wed, 02 Dec 2026 10:00:00 GMT", 0},  // in the past
      {"Thu, 31 Feb 2026 10:00:00 GMT", std::nullopt},
      {"Thu, 03 Dec 2026 25:00:00 GMT", std::nullopt},
      {"Thu, 03 Dec 2026 10:00:00 CET", std::nullopt},
      {"-5", std::nullopt},
      {"1.5", std::nullopt},
      {"soon", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.value);
    const auto parsed = ParseRetryAfter(c.value, now);
    ASSERT_EQ(parsed.has_value(), c.ms.has_value());
    if (parsed) {
      EXPECT_EQ(parsed->count(), *c.ms);
    }
  }
  EXPECT_EQ(ParseRetryAfterMs("250")->count(), 250);
  EXPECT_EQ(ParseRetryAfterMs("20.5")->count(), 21);
  EXPECT_FALSE(ParseRetryAfterMs("-1"));
  EXPECT_FALSE(ParseRetryAfterMs("x"));
}

}  // namespace
}  // namespace vitarec::llm

// When to try a model call again, and after how long: pure functions of the failure, the attempt
// count, the time left and a random number the caller draws (so tests choose it).
//
// Retried (while attempts and time remain): connection failures, a connection lost before any
// content, the connect and first-token limits, HTTP 408, 409, 429 and 5xx, a stream error before
// any content whose type is not a request error. Never retried: 400, 401, 403, 404 and other
// 4xx; a quota exhausted (429 "insufficient_quota"); a malformed stream; a refusal; an empty
// answer; the idle and total limits; and any failure after content arrived (the text shown would
// restart, and the tokens are paid: "never pay twice"). Delay: the server's Retry-After when it
// sent one and it is at most `retry_after_cap`; a Retry-After above the cap ends the retries (we do
// not come back earlier than asked); otherwise exponential backoff with equal jitter: d =
// min(max_delay, base_delay * 2^(attempt-1)), delay uniform in [d/2, d]. No retry when the delay
// does not fit in the time left.
#pragma once

#include <optional>
#include <string_view>

#include "core/Clock.h"
#include "llm/CallFailure.h"

namespace vitarec::llm {

struct RetryOptions {
  int max_attempts = 3;  // including the first
  core::Millis base_delay{500};
  core::Millis max_delay{8000};
  core::Millis retry_after_cap{20000};
};

struct RetryDecision {
  bool retry = false;
  core::Millis delay{0};  // before the next attempt, when retry
  std::string_view why;   // stable words for logs ("backoff", "retry_after", "not_retryable",
                          // "attempts_exhausted", "retry_after_over_cap", "no_time_left")
};

// Whether this kind of failure may succeed if tried again (ignoring attempts and time).
bool Retryable(const CallFailure& failure);

// The backoff before attempt `attempts_made + 1`; `unit_random` uniform in [0, 1).
core::Millis BackoffDelay(int attempts_made, double unit_random, const RetryOptions& options);

// After `attempts_made` attempts (>= 1), the last of which failed with `failure`, and with
// `time_left` until the call's overall deadline.
RetryDecision DecideRetry(const CallFailure& failure, int attempts_made, core::Millis time_left,
                          double unit_random, const RetryOptions& options);

// A Retry-After header value: delta-seconds ("120") or an HTTP-date in any of the three forms
// recipients must accept (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994"), as the wait from
// `now`; a date in the past is a wait of 0. nullopt for anything else.
std::optional<core::Millis> ParseRetryAfter(std::string_view value, core::TimePoint now);

// OpenAI's "retry-after-ms" header: non-negative milliseconds, possibly with a fraction.
std::optional<core::Millis> ParseRetryAfterMs(std::string_view value);

}  // namespace vitarec::llm

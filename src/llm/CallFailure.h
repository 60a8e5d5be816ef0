// How one attempt at a model call failed, as the transport and the stream parser report it, and
// what that means for the narrative: the reason it ends with and whether another attempt may
// succeed (RetryPolicy.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"

namespace vitarec::llm {

enum class FailureKind {
  kConnect,            // the connection (TCP, TLS handshake) could not be made
  kConnectionLost,     // reset or closed before the stream ended ([DONE] or a finish reason)
  kConnectTimeout,     // the connect limit passed
  kFirstTokenTimeout,  // no content within the time-to-first-token limit (keep-alives do not count)
  kIdleTimeout,        // no content between chunks for the idle limit (keep-alives do not count)
  kTotalTimeout,       // the whole call took longer than its limit
  kHttpStatus,         // the server answered with a status other than 200
  kStreamError,        // an error object inside the stream
  kMalformed,          // a body that is not the protocol (ChatStreamParser's error)
  kRefusal,            // the model refused (delta.refusal, or finish_reason "content_filter")
  kEmpty,              // the stream ended well but no text came out of it
};

struct CallFailure {
  FailureKind kind = FailureKind::kConnect;
  int http_status = 0;     // for kHttpStatus
  std::string error_type;  // the error object's "type" ("insufficient_quota", "server_error")
  std::string error_code;  // the error object's "code" ("rate_limit_exceeded", "500")
  // The server's Retry-After (or retry-after-ms), already parsed (ParseRetryAfter).
  std::optional<core::Millis> retry_after;
  // Whether content of this attempt had already been received (and possibly shown).
  bool content_received = false;
};

// What the narrative says when it ends unavailable because of a failure: "timeout" for the four
// time limits, "refused" for everything else (the server or the model said no, or spoke
// something that is not the protocol).
std::string_view NarrativeReason(const CallFailure& failure);

// A short stable label for logs and metrics: "connect", "connection_lost", "timeout_connect",
// "timeout_first_token", "timeout_idle", "timeout_total", "http_429", "http_429_quota",
// "stream_error", "malformed", "refusal", "empty". Never holds server text.
std::string FailureLabel(const CallFailure& failure);

// Whether the failure says the account's quota is exhausted: a 429 (or stream error) whose type
// or code is "insufficient_quota". Waiting does not help; only someone paying does.
bool QuotaExhausted(const CallFailure& failure);

}  // namespace vitarec::llm

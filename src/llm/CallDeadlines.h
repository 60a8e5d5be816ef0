// The four time limits of one model call attempt, each its own failure (CallFailure.h):
// connect (from the start until the connection is up), first token (from the connection until
// the first content), idle (between two pieces of content) and total (from the start, always).
// Keep-alive comments, role chunks and usage are not content: they move no deadline, so a
// server that only sends ": keep-alive" ends with kFirstTokenTimeout (or kIdleTimeout).
//
// Pure bookkeeping over times the caller passes in (from core::Clock); the transport arms one
// timer for Next().at and, when it fires, asks Expired(now). Not thread-safe: one per attempt.
#pragma once

#include <optional>

#include "core/Clock.h"
#include "llm/CallFailure.h"

namespace vitarec::llm {

struct CallTimeouts {
  core::Millis connect{5000};
  core::Millis first_token{20000};
  core::Millis idle{10000};
  core::Millis total{60000};
};

class CallDeadlines {
 public:
  CallDeadlines(const CallTimeouts& timeouts, core::TimePoint start)
      : timeouts_(timeouts), start_(start) {}

  // The connection (and TLS handshake) is up and the request sent.
  void Connected(core::TimePoint now) { connected_at_ = now; }
  // A piece of content arrived (a StreamEventKind::kContent event).
  void Content(core::TimePoint now) { last_content_at_ = now; }

  struct Deadline {
    core::TimePoint at;
    FailureKind kind;  // the failure when `at` passes first
  };
  // The earliest deadline in the current phase.
  Deadline Next() const;

  // The limit that has passed at `now`, if any.
  std::optional<FailureKind> Expired(core::TimePoint now) const;

 private:
  const CallTimeouts timeouts_;
  const core::TimePoint start_;
  std::optional<core::TimePoint> connected_at_;
  std::optional<core::TimePoint> last_content_at_;
};

}  // namespace vitarec::llm

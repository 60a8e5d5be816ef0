// One attempt at the narrative, from "request sent" to "narrative ended", as a state machine the
// transport feeds: connection events, the body's bytes, the end of the body, timer ticks. It
// joins the stream parser, the guardrail and the four time limits, and says what the narrative
// shows and how it ended. No I/O, no clock of its own (times are passed in); not thread-safe.
//
// Endings:
//   kComplete      [DONE] or the end of the body after a finish reason. finish_reason "length",
//                  or more than `max_chars` of content (a server ignoring max_tokens), cuts the
//                  text at its last safe boundary; "stop" (or none) releases the checked tail.
//   kInconsistent  the guardrail refused a sentence; the connection should be closed at once.
//   kFailed        failure() says why: an HTTP error (HttpError), a connection failure, a time
//                  limit (Tick), an error event, a malformed stream, a refusal
//                  (delta.refusal, finish_reason "content_filter"), or an empty answer.
// Text released before a failure stays in text(); every byte of it passed the guardrail.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/CallDeadlines.h"
#include "llm/CallFailure.h"
#include "llm/ChatStreamParser.h"
#include "llm/NarrativeGuard.h"

namespace vitarec::llm {

struct AttemptOptions {
  CallTimeouts timeouts;
  std::size_t max_chars = 6000;  // content bytes read at most; about 1,500 tokens
};

class NarrativeAttempt {
 public:
  enum class State { kRunning, kComplete, kInconsistent, kFailed };

  // `facts` and `names` must outlive the attempt.
  NarrativeAttempt(const GroundingFacts& facts, const SupplementNames& names,
                   AttemptOptions options, core::TimePoint start);

  // The connection is up and the request sent: the first-token limit starts.
  void Connected(core::TimePoint now) { deadlines_.Connected(now); }
  // The server answered a status other than 200 (FailureFromHttp).
  void HttpError(CallFailure failure);
  // The connection could not be made (kConnect) or broke (kConnectionLost).
  void ConnectionFailed(FailureKind kind);

  // Bytes of a 200 body, split anywhere. Returns the text that became safe to show.
  std::string Body(std::string_view bytes, core::TimePoint now);
  // The body ended (last chunk, or the connection closed after it).
  std::string EndOfBody(core::TimePoint now);
  // A timer fired: fails the attempt if a limit has passed.
  void Tick(core::TimePoint now);
  // When to call Tick next.
  CallDeadlines::Deadline NextDeadline() const { return deadlines_.Next(); }

  State state() const { return state_; }
  bool ended() const { return state_ != State::kRunning; }
  // Everything released so far.
  std::string_view text() const { return guard_.released(); }
  const std::optional<CallFailure>& failure() const { return failure_; }
  const std::optional<Inconsistency>& inconsistency() const { return guard_.inconsistency(); }
  const std::optional<TokenUsage>& usage() const { return usage_; }
  const std::string& finish_reason() const { return finish_reason_; }

  // The narrative's status and reason as the status JSON shows them: "writing" while running,
  // "complete", or "unavailable" with "inconsistent", "timeout" or "refused".
  std::string_view Status() const;
  std::string_view Reason() const;

 private:
  std::string Handle(const std::vector<StreamEvent>& events, core::TimePoint now);
  std::string Complete(bool whole);
  void Fail(CallFailure failure);
  void Fail(FailureKind kind);

  const AttemptOptions options_;
  ChatStreamParser parser_;
  NarrativeGuard guard_;
  CallDeadlines deadlines_;
  State state_ = State::kRunning;
  std::size_t content_bytes_ = 0;
  std::string finish_reason_;
  std::optional<TokenUsage> usage_;
  std::optional<CallFailure> failure_;
  std::vector<StreamEvent> events_;  // reused between Body calls
};

}  // namespace vitarec::llm

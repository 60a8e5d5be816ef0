#include "llm/NarrativeAttempt.h"

namespace vitarec::llm {

NarrativeAttempt::NarrativeAttempt(const GroundingFacts& facts, const SupplementNames& names,
                                   AttemptOptions options, core::TimePoint start)
    : options_(options), guard_(facts, names), deadlines_(options.timeouts, start) {}

void NarrativeAttempt::Fail(CallFailure failure) {
  if (ended()) return;
  failure.content_received = content_bytes_ > 0;
  failure_ = std::move(failure);
  state_ = State::kFailed;
}

void NarrativeAttempt::Fail(FailureKind kind) {
  CallFailure f;
  f.kind = kind;
  Fail(std::move(f));
}

void NarrativeAttempt::HttpError(CallFailure failure) { Fail(std::move(failure)); }

void NarrativeAttempt::ConnectionFailed(FailureKind kind) { Fail(kind); }

void NarrativeAttempt::Tick(core::TimePoint now) {
  if (ended()) return;
  if (auto kind = deadlines_.Expired(now)) Fail(*kind);
}

std::string NarrativeAttempt::Complete(bool whole) {
  std::string out = guard_.Finish(whole);
  if (guard_.rejected()) {
    state_ = State::kInconsistent;
  } else if (guard_.released().empty()) {
    Fail(FailureKind::kEmpty);
  } else {
    state_ = State::kComplete;
  }
  return out;
}

std::string NarrativeAttempt::Body(std::string_view bytes, core::TimePoint now) {
  if (ended()) return "";
  events_.clear();
  auto parsed = parser_.Feed(bytes, events_);
  std::string out = Handle(events_, now);  // the events before a malformed chunk count
  if (!parsed) Fail(FailureKind::kMalformed);
  return out;
}

std::string NarrativeAttempt::EndOfBody(core::TimePoint now) {
  if (ended()) return "";
  events_.clear();
  auto parsed = parser_.Finish(events_);
  std::string out = Handle(events_, now);
  if (!parsed) Fail(FailureKind::kMalformed);
  if (ended()) return out;
  if (finish_reason_.empty()) {
    Fail(FailureKind::kConnectionLost);  // cut before the model finished
    return out;
  }
  return out + Complete(finish_reason_ == "stop");
}

std::string NarrativeAttempt::Handle(const std::vector<StreamEvent>& events, core::TimePoint now) {
  std::string out;
  for (const StreamEvent& e : events) {
    if (ended()) break;
    switch (e.kind) {
      case StreamEventKind::kContent:
        deadlines_.Content(now);
        content_bytes_ += e.text.size();
        out += guard_.Append(e.text);
        if (guard_.rejected()) {
          state_ = State::kInconsistent;
        } else if (content_bytes_ > options_.max_chars) {
          out += Complete(false);
        }
        break;
      case StreamEventKind::kRefusal:
        Fail(FailureKind::kRefusal);
        break;
      case StreamEventKind::kFinish:
        finish_reason_ = e.text;
        if (finish_reason_ == "content_filter") Fail(FailureKind::kRefusal);
        break;
      case StreamEventKind::kUsage:
        usage_ = e.usage;
        break;
      case StreamEventKind::kKeepAlive:
        break;  // alive, but not progress: no deadline moves
      case StreamEventKind::kError: {
        CallFailure f;
        f.kind = FailureKind::kStreamError;
        f.error_type = e.error.type;
        f.error_code = e.error.code;
        Fail(std::move(f));
        break;
      }
      case StreamEventKind::kDone:
        out += Complete(finish_reason_.empty() || finish_reason_ == "stop");
        break;
    }
  }
  return out;
}

std::string_view NarrativeAttempt::Status() const {
  switch (state_) {
    case State::kRunning:
      return "writing";
    case State::kComplete:
      return "complete";
    default:
      return "unavailable";
  }
}

std::string_view NarrativeAttempt::Reason() const {
  if (state_ == State::kInconsistent) return "inconsistent";
  if (state_ == State::kFailed && failure_) return NarrativeReason(*failure_);
  return "";
}

}  // namespace vitarec::llm

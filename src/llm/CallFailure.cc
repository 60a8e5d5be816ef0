#include "llm/CallFailure.h"

namespace vitarec::llm {

std::string_view NarrativeReason(const CallFailure& failure) {
  switch (failure.kind) {
    case FailureKind::kConnectTimeout:
    case FailureKind::kFirstTokenTimeout:
    case FailureKind::kIdleTimeout:
    case FailureKind::kTotalTimeout:
      return "timeout";
    default:
      return "refused";
  }
}

bool QuotaExhausted(const CallFailure& failure) {
  const bool may_carry = failure.kind == FailureKind::kStreamError ||
                         (failure.kind == FailureKind::kHttpStatus && failure.http_status == 429);
  return may_carry &&
         (failure.error_type == "insufficient_quota" || failure.error_code == "insufficient_quota");
}

std::string FailureLabel(const CallFailure& failure) {
  switch (failure.kind) {
    case FailureKind::kConnect:
      return "connect";
    case FailureKind::kConnectionLost:
      return "connection_lost";
    case FailureKind::kConnectTimeout:
      return "timeout_connect";
    case FailureKind::kFirstTokenTimeout:
      return "timeout_first_token";
    case FailureKind::kIdleTimeout:
      return "timeout_idle";
    case FailureKind::kTotalTimeout:
      return "timeout_total";
    case FailureKind::kHttpStatus:
      return "http_" + std::to_string(failure.http_status) +
             (QuotaExhausted(failure) ? "_quota" : "");
    case FailureKind::kStreamError:
      return QuotaExhausted(failure) ? "stream_error_quota" : "stream_error";
    case FailureKind::kMalformed:
      return "malformed";
    case FailureKind::kRefusal:
      return "refusal";
    case FailureKind::kEmpty:
      return "empty";
  }
  return "unknown";
}

}  // namespace vitarec::llm

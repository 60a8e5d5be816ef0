#include "llm/CallDeadlines.h"

namespace vitarec::llm {

CallDeadlines::Deadline CallDeadlines::Next() const {
  Deadline phase;
  if (!connected_at_) {
    phase = {start_ + timeouts_.connect, FailureKind::kConnectTimeout};
  } else if (!last_content_at_) {
    phase = {*connected_at_ + timeouts_.first_token, FailureKind::kFirstTokenTimeout};
  } else {
    phase = {*last_content_at_ + timeouts_.idle, FailureKind::kIdleTimeout};
  }
  const Deadline total{start_ + timeouts_.total, FailureKind::kTotalTimeout};
  return total.at <= phase.at ? total : phase;
}

std::optional<FailureKind> CallDeadlines::Expired(core::TimePoint now) const {
  const Deadline next = Next();
  if (now < next.at) return std::nullopt;
  return next.kind;
}

}  // namespace vitarec::llm

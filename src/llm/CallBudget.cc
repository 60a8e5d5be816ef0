#include "llm/CallBudget.h"

#include <algorithm>

namespace vitarec::llm {
namespace {

constexpr core::Millis kWindow = std::chrono::minutes(1);

}  // namespace

std::int64_t EstimateCallTokens(const std::vector<ChatMessage>& messages, int max_tokens) {
  std::int64_t bytes = 0;
  for (const ChatMessage& m : messages) bytes += static_cast<std::int64_t>(m.content.size());
  return (bytes + 3) / 4 + 4 * static_cast<std::int64_t>(messages.size()) + max_tokens;
}

void CallBudget::Permit::Finish(std::optional<std::int64_t> reported_tokens) {
  if (budget_ == nullptr) return;
  budget_->Release(id_, reported_tokens);
  budget_ = nullptr;
}

CallBudget::CallBudget(BudgetOptions options, const core::Clock& clock)
    : options_(options), clock_(clock) {}

void CallBudget::Expire(core::TimePoint now) {
  while (!window_.empty() && window_.front().at + kWindow <= now) {
    tokens_ -= window_.front().tokens;
    window_.pop_front();
  }
}

CallBudget::Admission CallBudget::TryStart(std::int64_t estimated_tokens) {
  estimated_tokens = std::max<std::int64_t>(estimated_tokens, 0);
  const core::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  Expire(now);
  Admission a;
  if (options_.max_concurrent > 0 && in_flight_ >= options_.max_concurrent) {
    a.wait = Wait::kForRelease;
    a.why = "concurrency";
    return a;
  }
  core::TimePoint until = now;
  const auto requests = static_cast<std::int64_t>(window_.size());
  if (options_.requests_per_minute > 0 && requests >= options_.requests_per_minute) {
    // The start that must leave the window for one more to fit.
    until = window_[requests - options_.requests_per_minute].at + kWindow;
    a.why = "requests_per_minute";
  }
  if (options_.tokens_per_minute > 0 && !window_.empty() &&
      tokens_ + estimated_tokens > options_.tokens_per_minute) {
    core::TimePoint fits = window_.back().at + kWindow;  // an estimate over the limit: empty window
    std::int64_t freed = 0;
    for (const Charge& c : window_) {
      freed += c.tokens;
      if (tokens_ - freed + estimated_tokens <= options_.tokens_per_minute) {
        fits = c.at + kWindow;
        break;
      }
    }
    if (fits > until) {
      until = fits;
      a.why = "tokens_per_minute";
    }
  }
  if (until > now) {
    a.wait = Wait::kUntil;
    a.until = until;
    return a;
  }
  const std::uint64_t id = next_id_++;
  window_.push_back(Charge{id, now, estimated_tokens});
  tokens_ += estimated_tokens;
  ++in_flight_;
  a.permit.emplace(Permit(this, id));
  a.why = "";
  return a;
}

void CallBudget::Release(std::uint64_t id, std::optional<std::int64_t> reported_tokens) {
  std::lock_guard lock(mu_);
  --in_flight_;
  if (!reported_tokens) return;
  // Ids grow with time, so the window is sorted by id.
  const auto it = std::lower_bound(window_.begin(), window_.end(), id,
                                   [](const Charge& c, std::uint64_t v) { return c.id < v; });
  if (it == window_.end() || it->id != id) return;  // started over a minute ago
  const std::int64_t reported = std::max<std::int64_t>(*reported_tokens, 0);
  tokens_ += reported - it->tokens;
  it->tokens = reported;
}

CallBudget::Usage CallBudget::Current() const {
  std::lock_guard lock(mu_);
  // Expired entries are only dropped by TryStart; count what is inside the window now.
  const core::TimePoint now = clock_.Now();
  Usage u;
  u.in_flight = in_flight_;
  for (const Charge& c : window_) {
    if (c.at + kWindow <= now) continue;
    ++u.requests_in_window;
    u.tokens_in_window += c.tokens;
  }
  return u;
}

}  // namespace vitarec::llm

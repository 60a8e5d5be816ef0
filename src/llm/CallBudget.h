// The per-endpoint budget of model calls: at most `max_concurrent` calls at once, and over any
// sliding minute at most `requests_per_minute` calls started and `tokens_per_minute` tokens
// charged. A call is charged its estimate when it starts (EstimateCallTokens), and corrected to
// the usage the server reports when it finishes; without a report the estimate stays.
//
// It only answers; it never waits. TryStart says "start now" (with a Permit), "wait until T"
// (a rate limit: T is when enough of the window has expired) or "wait for a release" (the
// concurrency limit: no time is known; try again when a Permit is released). The caller (the
// job runtime) does the waiting without holding a thread. Time comes from the injected clock,
// so tests drive it with core::FakeClock. A call whose estimate alone is over the token limit
// starts once the window is empty rather than never.
//
// Thread-safe: every method may be called from any thread. Cost: O(calls in the last minute)
// per TryStart in the worst case (the token scan), O(1) amortised otherwise.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "core/Clock.h"
#include "llm/ChatRequest.h"

namespace vitarec::llm {

struct BudgetOptions {
  int max_concurrent = 16;             // --llm-concurrency; 0 = no limit
  int requests_per_minute = 0;         // 0 = no limit
  std::int64_t tokens_per_minute = 0;  // 0 = no limit
};

// What a call will cost before the server says: prompt bytes / 4 (a common rule of thumb for
// English and Spanish text), 4 tokens of framing per message, plus the whole completion limit.
std::int64_t EstimateCallTokens(const std::vector<ChatMessage>& messages, int max_tokens);

class CallBudget {
 public:
  // The right to make one call. Move-only; releasing it (Finish, or destruction) frees its
  // concurrency slot. It must not outlive its CallBudget.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : budget_(other.budget_), id_(other.id_) {
      other.budget_ = nullptr;
    }
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    ~Permit() { Finish(std::nullopt); }

    // The call ended; `reported_tokens` is the server's usage.total_tokens when it sent one.
    // Only the first call has an effect.
    void Finish(std::optional<std::int64_t> reported_tokens);

   private:
    friend class CallBudget;
    Permit(CallBudget* budget, std::uint64_t id) : budget_(budget), id_(id) {}
    CallBudget* budget_;
    std::uint64_t id_;
  };

  enum class Wait { kNone, kUntil, kForRelease };

  struct Admission {
    std::optional<Permit> permit;  // set when the call may start now
    Wait wait = Wait::kNone;       // otherwise what to wait for
    core::TimePoint until;         // for kUntil
    std::string_view why;          // "concurrency", "requests_per_minute", "tokens_per_minute"
  };

  struct Usage {
    int in_flight = 0;
    int requests_in_window = 0;
    std::int64_t tokens_in_window = 0;
  };

  // `clock` must outlive the budget.
  CallBudget(BudgetOptions options, const core::Clock& clock);
  CallBudget(const CallBudget&) = delete;
  CallBudget& operator=(const CallBudget&) = delete;

  // May a call estimated at `estimated_tokens` start now?
  Admission TryStart(std::int64_t estimated_tokens);

  // The current counts (for /metrics and progress messages).
  Usage Current() const;

 private:
  struct Charge {
    std::uint64_t id;
    core::TimePoint at;
    std::int64_t tokens;
  };
  void Release(std::uint64_t id, std::optional<std::int64_t> reported_tokens);
  void Expire(core::TimePoint now);  // requires mu_

  const BudgetOptions options_;  // immutable after construction
  const core::Clock& clock_;

  mutable std::mutex mu_;
  std::deque<Charge> window_;  // guarded by mu_: calls started in the last minute, in order
  std::int64_t tokens_ = 0;    // guarded by mu_: the sum of window_'s tokens
  int in_flight_ = 0;          // guarded by mu_
  std::uint64_t next_id_ = 1;  // guarded by mu_
};

}  // namespace vitarec::llm

// The stages of computing a recommendation and the progress each one reports (DESIGN.md):
// 10 understand the query, 30 gather candidates and evidence, 70 safety and interactions,
// 90 compose; the job layer adds 0 (queued) and 100 (stored).
#pragma once

#include <string_view>

namespace vitarec::recommend {

enum class Stage : int { kUnderstand = 10, kCandidates = 30, kSafety = 70, kCompose = 90 };

inline constexpr int kProgressQueued = 0;
inline constexpr int kProgressDone = 100;

// The message shown with a progress value, in "es" (default for anything else) or "en".
// Known values: 0, 10, 30, 70, 90, 100; any other value gets the message of the stage below it.
std::string_view ProgressMessage(int progress, std::string_view locale);

}  // namespace vitarec::recommend

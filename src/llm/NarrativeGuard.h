// The guardrail over a narrative as it streams: text goes in as the model writes it and comes
// out only up to a safe boundary, after the sentences up to there were checked against the
// result (Grounding.h). So an inconsistent sentence is never released: the first one found
// rejects the narrative (reason `inconsistent`) and nothing more is released, ever. What was
// released before stays consistent on its own; the caller discards the narrative as a whole
// (docs/LLM.md).
//
// Safe boundaries are sentence ends (Sentences.h), where no amount, unit or name can still be
// forming and no part of a later inconsistent sentence has been shown. A long text with no
// sentence end is released when the stream finishes.
//
// The check reads sentence by sentence and no amount or name spans a sentence end, so each
// sentence is checked once, when it ends: checking text_[released_, end) is the same as
// checking text_[0, end). Cost: O(text) in all.
// Not thread-safe: one guard per narrative, fed by one stream.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/Grounding.h"

namespace vitarec::llm {

class NarrativeGuard {
 public:
  // `facts` and `names` must outlive the guard.
  NarrativeGuard(const GroundingFacts& facts, const SupplementNames& names)
      : facts_(facts), names_(names) {}

  // Adds the next piece of model text (any bytes, split anywhere). Returns the text that became
  // safe to show, possibly empty; empty forever once rejected.
  std::string Append(std::string_view delta);

  // The stream ended. `complete`: the model said it was done (finish_reason "stop"), so the tail
  // after the last boundary is checked and released too; otherwise (cut at max_tokens, a
  // stream error) the unfinished tail is dropped. Returns what it released.
  std::string Finish(bool complete);

  bool rejected() const { return inconsistency_.has_value(); }
  // Why it was rejected (set when rejected()).
  const std::optional<Inconsistency>& inconsistency() const { return inconsistency_; }
  // Everything released so far.
  std::string_view released() const { return std::string_view(text_).substr(0, released_); }

 private:
  // Checks and releases text_[released_, end) when it is consistent.
  std::string ReleaseUpTo(std::size_t end);

  const GroundingFacts& facts_;
  const SupplementNames& names_;
  std::string text_;          // all the text received
  std::size_t released_ = 0;  // bytes of text_ released
  std::size_t scanned_ = 0;   // boundaries were looked for up to here
  std::optional<Inconsistency> inconsistency_;
  bool finished_ = false;
};

}  // namespace vitarec::llm

#include "llm/NarrativeGuard.h"

#include "llm/Sentences.h"

namespace vitarec::llm {

std::string NarrativeGuard::ReleaseUpTo(std::size_t end) {
  if (rejected() || end <= released_) return "";
  // The sentences from released_ (a sentence end) to `end`: the check reads sentence by
  // sentence, and the earlier ones passed already.
  const std::string_view fresh = std::string_view(text_).substr(released_, end - released_);
  if (auto problem = FindInconsistency(fresh, facts_, names_)) {
    inconsistency_ = std::move(problem);
    return "";
  }
  std::string out = text_.substr(released_, end - released_);
  released_ = end;
  return out;
}

std::string NarrativeGuard::Append(std::string_view delta) {
  if (rejected() || finished_ || delta.empty()) return "";
  text_.append(delta);
  const std::vector<std::size_t> boundaries = SentenceEnds(text_, scanned_);
  scanned_ = text_.size();
  // Boundary by boundary, so that the sentences before an inconsistent one still come out.
  std::string out;
  for (std::size_t b : boundaries) out += ReleaseUpTo(b);
  return out;
}

std::string NarrativeGuard::Finish(bool complete) {
  if (finished_) return "";
  finished_ = true;
  if (!complete) return "";
  return ReleaseUpTo(text_.size());
}

}  // namespace vitarec::llm

// Which supplements a text names: every name, alias, form name and form alias of the knowledge
// base, in both languages, matched on folded text (recommend/TextFold.h: case, accents and
// punctuation ignored) as whole token sequences, the longest at each place ("citrato de
// magnesio" is one mention of magnesium). No typo tolerance: the guardrail reads what the model
// wrote, and the knowledge base's own typo aliases ("magnecio") are names like any other.
// Immutable after construction; shared by every thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "recommend/KnowledgeBase.h"

namespace vitarec::llm {

class SupplementNames {
 public:
  // Indexes `kb`, which must outlive this object.
  explicit SupplementNames(const recommend::KnowledgeBase& kb);

  // The supplements `text` names, one entry per mention, in order of appearance.
  std::vector<const recommend::Supplement*> Find(std::string_view text) const;

  const recommend::KnowledgeBase& kb() const { return kb_; }

 private:
  struct Name {
    std::vector<std::string> tokens;  // folded; tokens[0] is the key it is filed under
    const recommend::Supplement* supplement;
  };
  void Add(std::string_view text, const recommend::Supplement& s);

  const recommend::KnowledgeBase& kb_;
  // First token -> the names that begin with it, the longest first.
  std::unordered_map<std::string, std::vector<Name>> by_first_token_;
};

}  // namespace vitarec::llm

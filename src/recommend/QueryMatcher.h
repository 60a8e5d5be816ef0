// Finds the supplements, forms, goals, conditions, drugs and diets named in free text.
//
// Built once at load time from every alias of the knowledge base (folded by FoldText), then
// read-only and safe to use from many threads. Matching is greedy, longest phrase first, over the
// folded tokens of the text; a token that is not a known word is corrected to the nearest known
// word when it is close enough (one edit for words of 4-7 letters, two for longer ones), so
// "magnecio" reads as "magnesio". Stop words ("de", "para", "the", "for"), common words ("suero",
// "cola") and words about the person ("niño", "años") are never corrected, and a typo is only
// corrected into a word of a supplement, form, goal or diet: never into a medicine, a drug class
// or a condition, so a misspelling never invents a safety fact. Negation ("sin cafeína", "no
// quiero melatonina", "caffeine free") marks the entities it covers (TermMatch::negated).
// Cost: O(tokens x longest alias) lookups plus, per unknown token, one bounded edit distance
// against the known words of similar length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/Error.h"

namespace vitarec::recommend {

enum class TermKind : std::uint8_t {
  kSupplement,
  kForm,
  kGoal,
  kCondition,
  kDrug,
  kDrugClass,
  kDiet,
};

// Refers to one entity of the knowledge base by its position in its list. For kForm, `index` is
// the supplement and `sub` the form within it.
struct TermRef {
  TermKind kind = TermKind::kSupplement;
  std::uint32_t index = 0;
  std::uint32_t sub = 0;

  bool operator==(const TermRef&) const = default;
};

// A bit set of TermKind values.
using KindMask = std::uint32_t;
constexpr KindMask MaskOf(TermKind kind) { return KindMask{1} << static_cast<unsigned>(kind); }
constexpr KindMask kAllKinds = ~KindMask{0};

struct TermMatch {
  TermRef ref;
  std::string text;        // the folded words of the input that matched
  std::string alias;       // the folded alias they matched
  bool corrected = false;  // true when a typo was corrected to find it
  bool negated = false;    // named to be left out ("sin cafeína", "no quiero melatonina")
};

struct MatchResult {
  std::vector<TermMatch> matches;    // in the order they appear in the text, no duplicates
  std::vector<std::string> unknown;  // folded words that matched nothing (stop words left out)
};

class QueryMatcher {
 public:
  // Registers an alias (raw text) for `ref`. An alias shared by a supplement and one of its own
  // forms keeps its first owner. Errors (kInvalidArgument): the alias folds to nothing, has more
  // than 8 words, or already names a different entity (see Find).
  core::Result<void> Add(std::string_view alias, TermRef ref);

  // The entity an alias (raw text) names, or nullptr.
  const TermRef* Find(std::string_view alias) const;

  // Finds what `text` names. Only entities of the kinds in `kinds` are reported; the others are
  // still recognised so that their words do not count as unknown.
  MatchResult Match(std::string_view text, KindMask kinds = kAllKinds) const;

  // Entities whose words are closest to `words` (typically MatchResult::unknown), at most `max`,
  // best first; for "¿Quisiste decir…?". Only kinds in `kinds`.
  std::vector<TermRef> Suggest(const std::vector<std::string>& words, std::size_t max,
                               KindMask kinds) const;

  std::size_t AliasCount() const { return phrases_.size(); }

 private:
  struct Phrase {
    std::vector<TermRef> refs;  // one entity; several only for joined forms ("omega3")
  };

  // The known word nearest to `token`, or empty when none is close enough.
  std::string_view Correct(std::string_view token) const;
  // `correctable`: the word belongs to an alias of a kind a typo may be corrected into.
  void AddWord(const std::string& word, std::uint32_t phrase_id, bool correctable);

  // Folded alias -> entity. Multi-word aliases are also registered with their spaces removed.
  std::unordered_map<std::string, Phrase> phrases_;
  std::size_t max_phrase_words_ = 1;
  // Every word of every alias, with the aliases (ids into phrase_keys_) that contain it.
  std::unordered_map<std::string, std::vector<std::uint32_t>> words_;
  std::vector<std::string> phrase_keys_;
  // words_ keys bucketed by length with their CharMask, for typo correction. Sorted by text for
  // determinism.
  struct KnownWord {
    std::string text;
    std::uint64_t mask = 0;
    bool correctable = false;  // a word of a supplement, form, goal or diet alias
  };
  std::vector<std::vector<KnownWord>> words_by_length_;
};

}  // namespace vitarec::recommend

#include "recommend/QueryMatcher.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>

#include "recommend/EditDistance.h"
#include "recommend/PersonWords.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

constexpr std::size_t kMaxTokens = 64;       // words of a query looked at; the rest is ignored
constexpr std::size_t kMaxPhraseWords = 8;   // longest alias, in words
constexpr std::size_t kMinCorrectable = 4;   // shorter words must be typed exactly
constexpr std::size_t kMaxCorrectable = 40;  // longer "words" are noise, not typos
constexpr std::size_t kMaxSuggestWords = 8;  // unknown words considered for suggestions

// Function words of Spanish and English: never corrected, never reported as unknown.
bool IsStopWord(std::string_view word) {
  static constexpr std::string_view kStopWords[] = {"a",
                                                    "al",
                                                    "algo",
                                                    "an",
                                                    "and",
                                                    "are",
                                                    "as",
                                                    "at",
                                                    "best",
                                                    "bueno",
                                                    "buena",
                                                    "can",
                                                    "como",
                                                    "con",
                                                    "cual",
                                                    "de",
                                                    "del",
                                                    "do",
                                                    "el",
                                                    "en",
                                                    "es",
                                                    "esta",
                                                    "este",
                                                    "for",
                                                    "from",
                                                    "good",
                                                    "have",
                                                    "how",
                                                    "i",
                                                    "in",
                                                    "is",
                                                    "it",
                                                    "la",
                                                    "las",
                                                    "lo",
                                                    "los",
                                                    "me",
                                                    "mi",
                                                    "mis",
                                                    "my",
                                                    "necesito",
                                                    "need",
                                                    "o",
                                                    "of",
                                                    "on",
                                                    "or",
                                                    "para",
                                                    "pero",
                                                    "por",
                                                    "que",
                                                    "quiero",
                                                    "se",
                                                    "should",
                                                    "some",
                                                    "su",
                                                    "sus",
                                                    "take",
                                                    "tengo",
                                                    "the",
                                                    "to",
                                                    "tomar",
                                                    "tu",
                                                    "un",
                                                    "una",
                                                    "uno",
                                                    "unos",
                                                    "want",
                                                    "what",
                                                    "which",
                                                    "with",
                                                    "y",
                                                    "yo",
                                                    "you",
                                                    "your",
                                                    "e",
                                                    "u",
                                                    "suplemento",
                                                    "suplementos",
                                                    "supplement",
                                                    "supplements",
                                                    "recomendacion",
                                                    "recommendation",
                                                    "tomo",
                                                    "am",
                                                    "estoy",
                                                    "soy",
                                                    "muy",
                                                    "very",
                                                    "more",
                                                    "mas",
                                                    "help",
                                                    "ayuda",
                                                    "ayudar",
                                                    "about",
                                                    "pastilla",
                                                    "pastillas",
                                                    "capsula",
                                                    "capsulas",
                                                    "comprimido",
                                                    "comprimidos",
                                                    "pill",
                                                    "pills",
                                                    "tablet",
                                                    "tablets",
                                                    "capsule",
                                                    "capsules",
                                                    "dosis",
                                                    "dose",
                                                    "mejores",
                                                    "natural",
                                                    "unas",
                                                    "no",
                                                    "not",
                                                    "sin",
                                                    "without",
                                                    "ni",
                                                    "nor",
                                                    "libre",
                                                    "free",
                                                    "except",
                                                    "excepto",
                                                    "salvo",
                                                    "nada",
                                                    "dont",
                                                    "don",
                                                    "doesn",
                                                    "didn",
                                                    "t",
                                                    "all",
                                                    "hace",
                                                    "desde",
                                                    "llevo",
                                                    "durante"};
  return std::find(std::begin(kStopWords), std::end(kStopWords), word) != std::end(kStopWords);
}

// Common words that are close to an entity's word but mean something else ("suero" is not
// "sueno", "cola" is not "colon", "hija" is not "hoja"): never corrected into anything.
bool IsCommonWord(std::string_view word) {
  static constexpr std::string_view kCommonWords[] = {
      "suero",  "cola",  "sauce",   "hija",   "hijo",     "hijas",   "hijos",   "nino",
      "nina",   "ninos", "ninas",   "bebe",   "bebes",    "mama",    "papa",    "madre",
      "padre",  "casa",  "cosa",    "cosas",  "todo",     "toda",    "todos",   "mucho",
      "mucha",  "poco",  "poca",    "dias",   "noche",    "noches",  "tarde",   "hora",
      "horas",  "antes", "despues", "mejor",  "peor",     "bien",    "tiene",   "tienes",
      "puedo",  "puede", "hace",    "hacer",  "solo",     "sola",    "agua",    "leche",
      "comida", "desde", "hasta",   "cuando", "donde",    "porque",  "siempre", "nunca",
      "sano",   "sana",  "salud",   "bajo",   "baja",     "alto",    "alta",    "edad",
      "anos",   "meses", "semana",  "vida",   "cada",     "otro",    "otra",    "years",
      "year",   "child", "kids",    "baby",   "daughter", "son",     "water",   "milk",
      "food",   "night", "after",   "before", "every",    "other",   "free",    "sugar",
      "azucar", "sal",   "cara",    "pelo",   "pies",     "mano",    "manos",   "piernas",
      "brazo",  "boca",  "dientes", "nadie",  "gente",    "persona", "mujer",   "hombre",
      "woman",  "man",   "women",   "men"};
  return std::find(std::begin(kCommonWords), std::end(kCommonWords), word) !=
         std::end(kCommonWords);
}

// Negation. A trigger negates the first thing named after it, past function words only and
// within kNegationReach words ("sin cafeína", "no quiero tomar melatonina", "without caffeine");
// "free" after an entity negates it ("caffeine free"); "ni"/"o" after a negated entity carry on.
// Health goals are never negated ("no puedo dormir" still asks about sleep); a goal, a word that
// names nothing ("sin lactosa, calcio") or one that starts a new clause ends the negation.
constexpr std::size_t kNegationReach = 3;
bool IsNegationTrigger(std::string_view word) {
  static constexpr std::string_view kTriggers[] = {"sin",  "without", "no",     "not",     "ni",
                                                   "nor",  "libre",   "except", "excepto", "salvo",
                                                   "nada", "dont",    "don",    "doesn",   "didn"};
  return std::find(std::begin(kTriggers), std::end(kTriggers), word) != std::end(kTriggers);
}
bool EndsNegation(std::string_view word) {
  static constexpr std::string_view kEnders[] = {"y",       "and",  "con",    "with",   "pero",
                                                 "but",     "para", "for",    "porque", "because",
                                                 "tambien", "also", "ademas", "si"};
  return std::find(std::begin(kEnders), std::end(kEnders), word) != std::end(kEnders);
}
bool IsNegatable(TermKind kind) { return kind != TermKind::kGoal; }
// Kinds a typo is never corrected into: a misspelt word must not make someone take a medicine or
// have a condition.
bool IsSafetyKind(TermKind kind) {
  return kind == TermKind::kCondition || kind == TermKind::kDrug || kind == TermKind::kDrugClass;
}

bool HasLetter(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string Join(const std::vector<std::string_view>& words, std::size_t begin, std::size_t end,
                 std::string_view separator) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) out.append(separator);
    out.append(words[i]);
  }
  return out;
}

std::size_t WordCount(std::string_view folded) {
  return folded.empty()
             ? 0
             : 1 + static_cast<std::size_t>(std::count(folded.begin(), folded.end(), ' '));
}

}  // namespace

core::Result<void> QueryMatcher::Add(std::string_view alias, TermRef ref) {
  const std::string folded = FoldText(alias);
  if (folded.empty())
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the alias \"" + std::string(alias) + "\" has no letters or digits");
  const std::size_t words = WordCount(folded);
  if (words > kMaxPhraseWords)
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the alias \"" + std::string(alias) + "\" is longer than " +
                          std::to_string(kMaxPhraseWords) + " words");
  if (auto it = phrases_.find(folded); it != phrases_.end()) {
    const TermRef& owner = it->second.refs.front();
    const bool same_supplement =
        (owner.kind == TermKind::kSupplement || owner.kind == TermKind::kForm) &&
        (ref.kind == TermKind::kSupplement || ref.kind == TermKind::kForm) &&
        owner.index == ref.index;
    if (same_supplement || owner == ref) return {};
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the alias \"" + std::string(alias) + "\" already names another entry");
  }
  const auto register_phrase = [&](const std::string& key) {
    phrases_[key].refs.push_back(ref);
    const auto id = static_cast<std::uint32_t>(phrase_keys_.size());
    phrase_keys_.push_back(key);
    std::size_t start = 0;
    while (start < key.size()) {
      std::size_t end = key.find(' ', start);
      if (end == std::string::npos) end = key.size();
      AddWord(key.substr(start, end - start), id, !IsSafetyKind(ref.kind));
      start = end + 1;
    }
  };
  register_phrase(folded);
  max_phrase_words_ = std::max(max_phrase_words_, words);
  if (words > 1) {
    std::string joined = folded;
    std::erase(joined, ' ');
    // "omega3", "vitaminad": a convenience; skipped when it would clash with a real alias.
    if (joined.size() >= kMinCorrectable && !phrases_.contains(joined)) register_phrase(joined);
  }
  return {};
}

const TermRef* QueryMatcher::Find(std::string_view alias) const {
  const auto it = phrases_.find(FoldText(alias));
  return it == phrases_.end() ? nullptr : &it->second.refs.front();
}

void QueryMatcher::AddWord(const std::string& word, std::uint32_t phrase_id, bool correctable) {
  auto [it, inserted] = words_.try_emplace(word);
  it->second.push_back(phrase_id);
  if (words_by_length_.size() <= word.size()) words_by_length_.resize(word.size() + 1);
  auto& bucket = words_by_length_[word.size()];
  const auto pos =
      std::lower_bound(bucket.begin(), bucket.end(), word,
                       [](const KnownWord& k, const std::string& w) { return k.text < w; });
  if (!inserted) {
    if (pos != bucket.end() && pos->text == word) pos->correctable |= correctable;
    return;
  }
  bucket.insert(pos, KnownWord{word, CharMask(word), correctable});
}

std::string_view QueryMatcher::Correct(std::string_view token) const {
  if (token.size() < kMinCorrectable || token.size() > kMaxCorrectable || !HasLetter(token))
    return {};
  const int max_distance = token.size() >= 8 ? 2 : 1;
  std::string_view best;
  auto best_key = std::make_tuple(max_distance + 1, 1, std::size_t{0});
  const std::size_t lo = token.size() - static_cast<std::size_t>(max_distance);
  const std::size_t hi = std::min(token.size() + static_cast<std::size_t>(max_distance),
                                  words_by_length_.empty() ? 0 : words_by_length_.size() - 1);
  const std::uint64_t mask = CharMask(token);
  for (std::size_t len = std::max<std::size_t>(lo, 3); len <= hi; ++len) {
    for (const KnownWord& known : words_by_length_[len]) {
      if (!known.correctable || MasksRuleOut(mask, known.mask, max_distance)) continue;
      const std::string& word = known.text;
      const int d = BoundedEditDistance(token, word, max_distance);
      if (d > max_distance) continue;
      const auto key =
          std::make_tuple(d, word[0] == token[0] ? 0 : 1,
                          len > token.size() ? len - token.size() : token.size() - len);
      if (key < best_key || (key == best_key && !best.empty() && word < best)) {
        best_key = key;
        best = word;
      }
    }
  }
  return best;
}

MatchResult QueryMatcher::Match(std::string_view text, KindMask kinds) const {
  const std::vector<FoldedToken> marked = FoldTokensMarked(text);
  const std::size_t n = std::min(marked.size(), kMaxTokens);
  std::vector<std::string_view> resolved(n);
  std::vector<bool> corrected(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& token = marked[i].text;
    resolved[i] = token;
    if (words_.contains(token) || IsStopWord(token) || IsCommonWord(token) || IsPersonWord(token))
      continue;
    if (std::string_view fix = Correct(token); !fix.empty()) {
      resolved[i] = fix;
      corrected[i] = true;
    }
  }
  std::vector<std::string_view> originals(n);
  for (std::size_t i = 0; i < n; ++i) originals[i] = marked[i].text;
  MatchResult result;
  std::size_t negate_until = 0;  // a negatable entity starting before this index is negated
  std::size_t last_end = 0;      // one past the last matched phrase
  bool last_negated = false;
  for (std::size_t i = 0; i < n;) {
    bool found = false;
    for (std::size_t len = std::min(max_phrase_words_, n - i); len >= 1 && !found; --len) {
      const auto it = phrases_.find(Join(resolved, i, i + len, " "));
      if (it == phrases_.end()) continue;
      // A function word alone names nothing unless typed with its accents ("uñas", not "unas").
      if (len == 1 && IsStopWord(originals[i]) && !marked[i].accented) continue;
      const bool fixed =
          std::any_of(corrected.begin() + static_cast<long>(i),
                      corrected.begin() + static_cast<long>(i + len), [](bool b) { return b; });
      if (fixed && std::any_of(it->second.refs.begin(), it->second.refs.end(),
                               [](const TermRef& r) { return IsSafetyKind(r.kind); }))
        continue;
      found = true;
      const bool negated = i < negate_until;
      for (const TermRef& ref : it->second.refs) {
        if (ref.kind == TermKind::kGoal) negate_until = 0;
        if ((MaskOf(ref.kind) & kinds) == 0) continue;
        const bool negate = negated && IsNegatable(ref.kind);
        auto seen = std::find_if(result.matches.begin(), result.matches.end(),
                                 [&](const TermMatch& m) { return m.ref == ref; });
        if (seen == result.matches.end()) {
          result.matches.push_back(
              {ref, Join(originals, i, i + len, " "), it->first, fixed, negate});
        } else {
          seen->negated = seen->negated || negate;
        }
      }
      last_negated = negated;
      if (negated) negate_until = 0;
      i += len;
      last_end = i;
    }
    if (found) continue;
    const std::string_view token = originals[i];
    if ((token == "free" || token == "libre") && last_end == i && i > 0 &&
        !(i + 1 < n && (originals[i + 1] == "of" || originals[i + 1] == "from"))) {
      // "caffeine free": negates what was just named.
      for (TermMatch& m : result.matches)
        if (m.text == Join(originals, i - WordCount(m.text), i, " ") && IsNegatable(m.ref.kind))
          m.negated = true;
    } else if (IsNegationTrigger(token) ||
               ((token == "o" || token == "or") && last_negated && last_end == i)) {
      negate_until = i + 1 + kNegationReach;
    } else if (EndsNegation(token) || !IsStopWord(token)) {
      // A word that names nothing ("sin lactosa, calcio") is what the negation was about.
      negate_until = 0;
    }
    const bool number =
        std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!number && !IsStopWord(token) && !IsPersonWord(token))
      result.unknown.push_back(marked[i].text);
    ++i;
  }
  return result;
}

std::vector<TermRef> QueryMatcher::Suggest(const std::vector<std::string>& words, std::size_t max,
                                           KindMask kinds) const {
  // Score of an entity: the smallest distance between a given word and a word of its aliases;
  // a known word that starts with the given one (a cut-off query, "magn") scores 1.
  std::vector<std::pair<int, TermRef>> scored;
  const auto consider = [&](const std::string& known, int score) {
    for (std::uint32_t phrase_id : words_.at(known)) {
      for (const TermRef& ref : phrases_.at(phrase_keys_[phrase_id]).refs) {
        if ((MaskOf(ref.kind) & kinds) == 0) continue;
        auto it = std::find_if(scored.begin(), scored.end(),
                               [&](const auto& s) { return s.second == ref; });
        if (it == scored.end()) {
          scored.emplace_back(score, ref);
        } else {
          it->first = std::min(it->first, score);
        }
      }
    }
  };
  std::size_t looked_at = 0;
  for (const std::string& word : words) {
    if (word.size() < 3 || word.size() > kMaxCorrectable || !HasLetter(word) ||
        IsCommonWord(word) || IsPersonWord(word))
      continue;
    if (++looked_at > kMaxSuggestWords) break;
    const int max_distance = word.size() <= 4 ? 1 : word.size() <= 7 ? 2 : 3;
    const std::uint64_t mask = CharMask(word);
    for (std::size_t len = 3; len < words_by_length_.size(); ++len) {
      for (const KnownWord& known : words_by_length_[len]) {
        if (known.text.size() > word.size() && known.text.compare(0, word.size(), word) == 0) {
          consider(known.text, 1);
          continue;
        }
        const std::size_t gap = len > word.size() ? len - word.size() : word.size() - len;
        if (gap > static_cast<std::size_t>(max_distance) ||
            MasksRuleOut(mask, known.mask, max_distance))
          continue;
        const int d = BoundedEditDistance(word, known.text, max_distance);
        if (d <= max_distance) consider(known.text, d);
      }
    }
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.kind, a.second.index, a.second.sub) <
           std::tie(b.first, b.second.kind, b.second.index, b.second.sub);
  });
  std::vector<TermRef> out;
  for (const auto& [score, ref] : scored) {
    if (out.size() >= max) break;
    out.push_back(ref);
  }
  return out;
}

}  // namespace vitarec::recommend

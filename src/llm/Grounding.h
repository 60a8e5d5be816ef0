// What a narrative may say, taken from the engine's result, and the check of a text against it:
// every amount with a unit (Amounts.h) must equal an amount the result states, and every
// supplement named (SupplementNames.h) must be one the result may name. A text that fails is
// `inconsistent` (docs/LLM.md, "The guardrail").
//
// The facts come from the result's `items` (and `excluded` reasons, for amounts) only, never
// from `query`, `matched` or the general `warnings`, which echo what the visitor typed: a query
// "magnesio 5000 mg" must not make "5000 mg" a fact. Amounts: each item's dose and upper limit,
// and every amount in an item's texts (timing, reasons, warnings, notes...; not its sources'
// titles). Supplements: the items, and those an item's own texts name ("separate it from
// calcium"), so that a model
// repeating the result's advice is not refused; a supplement the engine excluded is not one
// the narrative may name unless an item's text does.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "llm/Amounts.h"
#include "llm/SupplementNames.h"

namespace vitarec::llm {

struct GroundingFacts {
  std::string locale;                           // of the result: "es" or "en"
  std::vector<Amount> amounts;                  // every amount the result states
  std::unordered_set<std::string> supplements;  // ids the narrative may name
  // Item id -> the amounts of that item alone (its dose, upper limit and texts).
  std::unordered_map<std::string, std::vector<Amount>> item_amounts;
};

// The facts of a `recommendation` object as recommend::Compose builds it.
GroundingFacts FactsOf(const boost::json::object& recommendation, const SupplementNames& names);

struct Inconsistency {
  enum class Kind { kAmount, kSupplement };
  Kind kind = Kind::kAmount;
  std::string detail;  // the amount as written ("5000 mg") or the supplement id ("zinc")
};

// The first thing in `text` that the facts do not support, or nullopt when there is none. Read
// sentence by sentence (CheckedSentenceEnds in Sentences.h): every name must be one the narrative
// may name; in a sentence that names exactly one item, every amount must be one of that item's ("18
// mg of magnesium" is refused when 18 mg is the iron's dose); in any other sentence, one of the
// result's.
std::optional<Inconsistency> FindInconsistency(std::string_view text, const GroundingFacts& facts,
                                               const SupplementNames& names);

}  // namespace vitarec::llm

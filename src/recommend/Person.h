// Who the recommendation is for, as far as the request tells (quiz answers and what the query
// named), and the personal figures derived from the knowledge base for that person.
//
// Unknown facts are read conservatively: an unknown age counts as every adult age (19, 31, 51,
// 71) and an unknown sex as both, and every figure is the smallest over those possibilities.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "recommend/Supplement.h"

namespace vitarec::recommend {

struct Person {
  std::optional<int> age;
  Sex sex = Sex::kAny;  // kAny when unknown or "other"
  bool pregnant = false;
  bool lactating = false;
  std::vector<std::string> conditions;    // condition ids; includes "pregnancy"/"lactation"
  std::vector<std::string> drugs;         // drug ids
  std::vector<std::string> drug_classes;  // class ids of those drugs, plus classes named directly
  std::string diet;                       // diet id or empty

  bool HasCondition(std::string_view id) const;
  // Whether `target` (a drug id or a drug class id) is among what the person takes.
  bool Takes(std::string_view target) const;
};

// The tolerable upper limit (per day, in the supplement's unit) for the person, or nullopt when
// the knowledge base has none for them.
std::optional<int> UpperLimitFor(const Supplement& supplement, const Person& person);
// The same lookup over any upper-limit table (UpperLimit.h uses it to tell EFSA from IOM).
std::optional<int> UpperLimitIn(const std::vector<IntakeRow>& table, const Person& person);

// The RDA/AI (per day, total from food and supplements) for the person, as the range over the
// possibilities an incomplete profile leaves open (equal ends for a complete one), or nullopt.
struct IntakeRange {
  double low = 0;
  double high = 0;
};
std::optional<IntakeRange> ReferenceIntakeFor(const Supplement& supplement, const Person& person);

struct PersonalDose {
  int amount = 0;       // per intake, in supplement.dose.unit; > 0
  bool capped = false;  // lowered to respect the upper limit
  std::optional<int> upper_limit;
};

// The typical dose (or the first dose rule that fits the person), lowered when needed so that
// amount x intakes per day never exceeds the person's upper limit. Never returns 0: when even one
// unit per intake would exceed the limit, returns the limit's share per intake floored at 1 and
// `capped`, and the caller is expected to exclude such an item (it only happens for an upper
// limit below the number of daily intakes, which no current entry has).
PersonalDose DoseFor(const Supplement& supplement, const Person& person);

// Intakes per day implied by a frequency (weekly and as-needed count as 1).
int IntakesPerDay(Frequency frequency);

}  // namespace vitarec::recommend

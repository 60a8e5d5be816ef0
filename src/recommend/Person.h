// Who the recommendation is for, as far as the request tells (quiz answers and what the query
// named), and the personal figures derived from the knowledge base for that person.
//
// Unknown facts are read conservatively: an unknown age counts as every adult age (19, 31, 51,
// 71) and an unknown sex as both, and every figure is the smallest over those possibilities.
// An age known only as a range ("niños", "adolescente") counts as every age group the range
// touches, its youngest age included. Pregnancy or lactation with no sex or age counts as a
// woman of child-bearing age (14, 19 and 31: the groups of the reference tables up to 50).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "recommend/Supplement.h"

namespace vitarec::recommend {

// An age known only approximately, inclusive, in whole years.
struct AgeRange {
  int min = 0;
  int max = 120;
};

struct Person {
  std::optional<int> age;
  std::optional<AgeRange> age_range;  // used when `age` is unknown
  Sex sex = Sex::kAny;                // kAny when unknown or "other"
  bool pregnant = false;
  bool lactating = false;
  std::vector<std::string> conditions;    // condition ids; includes "pregnancy"/"lactation"
  std::vector<std::string> drugs;         // drug ids
  std::vector<std::string> drug_classes;  // class ids of those drugs, plus classes named directly
  std::string diet;                       // diet id or empty

  bool HasCondition(std::string_view id) const;
  // The youngest the person may be, when the age or an age range is known (pregnancy alone does
  // not tell an age for this purpose).
  std::optional<int> YoungestAge() const;
  // Whether the person may be under 18.
  bool MayBeMinor() const;
  // Whether `target` (a drug id or a drug class id) is among what the person takes.
  bool Takes(std::string_view target) const;
};

// Whether the person may belong to one of `groups` (an empty list means everyone), over the
// possibilities an incomplete profile leaves open.
bool MayBelongTo(const Person& person, const std::vector<Population>& groups);
// Whether every possibility for the person belongs to one of `groups` (false for an empty list).
bool SurelyBelongsTo(const Person& person, const std::vector<Population>& groups);

// The tolerable upper limit (per day, in the supplement's unit) for the person, or nullopt when
// the knowledge base has none for them.
// With `form`, that form's own table when it has one (Form::ul).
std::optional<int> UpperLimitFor(const Supplement& supplement, const Person& person,
                                 std::optional<std::uint32_t> form = std::nullopt);
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
// With `form`, that form's own dose and upper limit when it has them (Form::dose, Form::ul).
PersonalDose DoseFor(const Supplement& supplement, const Person& person,
                     std::optional<std::uint32_t> form = std::nullopt);

// Intakes per day implied by a frequency (weekly and as-needed count as 1).
int IntakesPerDay(Frequency frequency);

}  // namespace vitarec::recommend

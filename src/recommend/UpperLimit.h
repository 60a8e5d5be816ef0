// Upper limits for a European audience: the knowledge base holds the US limits (IOM, National
// Academies; `ul`) and the EFSA limits (`ul_efsa`), and the engine applies the lower of the two
// for every person (vitamin B6: EFSA 12 mg a day against the US 100 mg). This file merges the two
// tables at load and says, for one person, which body sets the limit and whether it counts food.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "recommend/Person.h"
#include "recommend/Supplement.h"

namespace vitarec::recommend {

// One table whose lookup (Person.h: smallest fitting row, stage rows first) gives, for every
// person, the smaller of the two tables' values. A table with no rows for a stage the other table
// has (pregnancy, lactation) contributes its general rows to that stage too, so that a US
// pregnancy row never hides a lower EFSA limit meant for everyone.
std::vector<IntakeRow> LowerOfTables(const std::vector<IntakeRow>& a,
                                     const std::vector<IntakeRow>& b);

enum class LimitBody { kNone, kIom, kEfsa, kBoth };

// Which table gives the person's limit (UpperLimitFor): kBoth when EFSA and IOM agree, kNone when
// the supplement has no limit for them.
LimitBody UpperLimitBodyFor(const Supplement& supplement, const Person& person);

// "EFSA", "IOM (EE. UU.)" / "IOM (US)", "EFSA / IOM"; empty for kNone.
std::string_view LimitBodyName(LimitBody body, std::string_view locale);

// The sentence shown with a limit: the amount, who set it, that it is the lower of the two, and
// whether food counts, e.g. "Máximo 12 mg al día (EFSA, el más bajo de EFSA e IOM), contando
// también lo que aportan los alimentos."
std::string UpperLimitSentence(const Supplement& supplement, int upper_limit, LimitBody body,
                               std::string_view locale);

// Sets the limit fields of an item's `dose`: upper_limit, upper_limit_source ("EFSA", "IOM",
// "EFSA / IOM"), upper_limit_counts_food, and `note`: UpperLimitSentence, then the supplement's
// own ul_note.
void AddUpperLimit(const Supplement& supplement, const Person& person, int upper_limit,
                   std::string_view locale, boost::json::object& dose);

}  // namespace vitarec::recommend

// The words of a free-text query that tell who the recommendation is for: an age ("mi hijo de 6
// años", "a 6-year-old", "bebé de 8 meses") or an age group ("niños", "bebé", "adolescente",
// "teenager"). Read on folded tokens (TextFold.h); pure functions over fixed word lists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recommend/Person.h"

namespace vitarec::recommend {

// What the query says about the age. An exact age wins over a group; among several mentions the
// youngest wins (the most cautious reading).
struct AgeMention {
  std::optional<int> age;         // "6 años" -> 6; "8 meses" -> 0
  std::optional<AgeRange> range;  // "niños" -> 1..13 when no exact age is given
};
AgeMention ReadAge(const std::vector<std::string>& folded_tokens);

// The sex the query gives ("mujer", "for a man", "mi madre de 70 años"), when every word that
// tells one agrees; nullopt otherwise.
std::optional<Sex> ReadSex(const std::vector<std::string>& folded_tokens);

// Whether a folded word only says who the person is ("nino", "hija", "anos", "years"): such
// words are never typo-corrected into something else and are not reported as unknown.
bool IsPersonWord(std::string_view folded_word);

}  // namespace vitarec::recommend

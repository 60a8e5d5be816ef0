#include "recommend/PersonWords.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>

namespace vitarec::recommend {
namespace {

// Age groups named by a word, as [min, max] years. Children span the reference tables' child
// groups from 1, so the most cautious figure of each applies.
struct GroupWord {
  std::string_view word;
  AgeRange range;
};
constexpr GroupWord kGroups[] = {
    {"bebe", {0, 2}},           {"bebes", {0, 2}},          {"baby", {0, 2}},
    {"babies", {0, 2}},         {"infant", {0, 2}},         {"infants", {0, 2}},
    {"newborn", {0, 0}},        {"recien", {0, 0}},         {"toddler", {1, 3}},
    {"toddlers", {1, 3}},       {"nino", {1, 13}},          {"nina", {1, 13}},
    {"ninos", {1, 13}},         {"ninas", {1, 13}},         {"infantil", {1, 13}},
    {"infantiles", {1, 13}},    {"crio", {1, 13}},          {"crios", {1, 13}},
    {"child", {1, 13}},         {"children", {1, 13}},      {"childs", {1, 13}},
    {"kid", {1, 13}},           {"kids", {1, 13}},          {"adolescente", {12, 17}},
    {"adolescentes", {12, 17}}, {"adolescencia", {12, 17}}, {"adolescent", {12, 17}},
    {"adolescents", {12, 17}},  {"teen", {12, 17}},         {"teens", {12, 17}},
    {"teenager", {12, 17}},     {"teenagers", {12, 17}},
};

// Words after a number that make it an age in years, or in months/weeks/days (age 0).
constexpr std::string_view kYearWords[] = {"ano",   "anos", "anito", "anitos", "year",
                                           "years", "yr",   "yrs",   "yo"};
constexpr std::string_view kBabyUnits[] = {"mes",     "meses", "month", "months", "semana",
                                           "semanas", "week",  "weeks", "dias",   "days"};
// Words before a number that make "N años" an age rather than a length of time.
constexpr std::string_view kAgeLeadIns[] = {"de",     "tengo", "tiene", "tienes", "cumple",
                                            "cumplo", "con",   "aged",  "age",    "edad"};
// Words for a child after which a bare number is an age ("mi hija de 12").
constexpr std::string_view kRelatives[] = {"hijo",    "hija",     "nino",  "nina",
                                           "son",     "daughter", "kid",   "child",
                                           "sobrino", "sobrina",  "nieto", "nieta"};
// Words that tell the person's sex.
constexpr std::string_view kFemaleWords[] = {"mujer",  "mujeres",     "femenino", "woman",  "women",
                                             "female", "madre",       "mama",     "abuela", "hija",
                                             "nina",   "chica",       "senora",   "mother", "mum",
                                             "mom",    "grandmother", "daughter", "girl",   "lady"};
constexpr std::string_view kMaleWords[] = {"hombre", "hombres",     "masculino", "varon", "man",
                                           "men",    "male",        "padre",     "papa",  "abuelo",
                                           "hijo",   "nino",        "chico",     "senor", "father",
                                           "dad",    "grandfather", "son",       "boy"};
// Words that say who without telling an age.
constexpr std::string_view kOtherPersonWords[] = {
    "hijo",      "hija",   "hijos", "hijas", "son",   "sons",  "daughter",
    "daughters", "nacido", "old",   "edad",  "age",   "aged",  "sobrino",
    "sobrina",   "nieto",  "nieta", "mes",   "meses", "month", "months"};

constexpr std::pair<std::string_view, int> kNumberWords[] = {
    {"un", 1},        {"uno", 1},       {"una", 1},        {"dos", 2},         {"tres", 3},
    {"cuatro", 4},    {"cinco", 5},     {"seis", 6},       {"siete", 7},       {"ocho", 8},
    {"nueve", 9},     {"diez", 10},     {"once", 11},      {"doce", 12},       {"trece", 13},
    {"catorce", 14},  {"quince", 15},   {"dieciseis", 16}, {"diecisiete", 17}, {"one", 1},
    {"two", 2},       {"three", 3},     {"four", 4},       {"five", 5},        {"six", 6},
    {"seven", 7},     {"eight", 8},     {"nine", 9},       {"ten", 10},        {"eleven", 11},
    {"twelve", 12},   {"thirteen", 13}, {"fourteen", 14},  {"fifteen", 15},    {"sixteen", 16},
    {"seventeen", 17}};

template <typename List>
bool In(const List& list, std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

std::optional<int> NumberOf(std::string_view word) {
  int value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec == std::errc() && end == word.data() + word.size()) return value;
  for (const auto& [text, n] : kNumberWords)
    if (text == word) return n;
  return std::nullopt;
}

}  // namespace

AgeMention ReadAge(const std::vector<std::string>& tokens) {
  AgeMention out;
  const auto youngest = [](std::optional<int>& current, int age) {
    current = current ? std::min(*current, age) : age;
  };
  const auto word_at = [&](std::size_t i) -> std::string_view {
    return i < tokens.size() ? std::string_view(tokens[i]) : std::string_view();
  };
  const bool baby_named = std::any_of(tokens.begin(), tokens.end(), [](const std::string& t) {
    return std::any_of(std::begin(kGroups), std::end(kGroups),
                       [&](const GroupWord& g) { return g.word == t && g.range.max <= 3; });
  });
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto n = NumberOf(tokens[i]);
    if (n && *n >= 0 && *n <= 120) {
      const std::string_view before = i > 0 ? word_at(i - 1) : std::string_view();
      const std::string_view unit = word_at(i + 1);
      // "6 años" is an age after "de", "tengo", a word for a person...; not in "hace 2 años".
      const bool said_as_age = In(kAgeLeadIns, before) || IsPersonWord(before) || unit == "yo" ||
                               word_at(i + 2) == "old" ||
                               (word_at(i + 2) == "de" && word_at(i + 3) == "edad");
      if (In(kYearWords, unit) && said_as_age) youngest(out.age, *n);
      // Months and weeks are an age only for a baby ("bebé de 8 meses", not "desde hace 3 meses").
      if (In(kBabyUnits, unit) && baby_named) youngest(out.age, 0);
      // "mi hijo de 10", "my son, 12": a number right after a word for a child.
      if (!In(kYearWords, unit) && !In(kBabyUnits, unit) && *n <= 17 &&
          (In(kRelatives, before) || (before == "de" && i > 1 && In(kRelatives, word_at(i - 2)))))
        youngest(out.age, *n);
    }
    for (const GroupWord& g : kGroups) {
      if (g.word != tokens[i]) continue;
      if (!out.range) {
        out.range = g.range;
      } else {
        out.range->min = std::min(out.range->min, g.range.min);
        out.range->max = std::max(out.range->max, g.range.max);
      }
    }
  }
  if (out.age) out.range.reset();
  return out;
}

std::optional<Sex> ReadSex(const std::vector<std::string>& tokens) {
  bool female = false, male = false;
  for (const std::string& t : tokens) {
    female |= In(kFemaleWords, t);
    male |= In(kMaleWords, t);
  }
  if (female == male) return std::nullopt;
  return female ? Sex::kFemale : Sex::kMale;
}

bool IsPersonWord(std::string_view word) {
  if (In(kYearWords, word) || In(kOtherPersonWords, word) || In(kFemaleWords, word) ||
      In(kMaleWords, word))
    return true;
  for (const auto& [text, n] : kNumberWords)
    if (text == word) return true;
  return std::any_of(std::begin(kGroups), std::end(kGroups),
                     [&](const GroupWord& g) { return g.word == word; });
}

}  // namespace vitarec::recommend

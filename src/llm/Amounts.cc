#include "llm/Amounts.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace vitarec::llm {
namespace {

struct Word {
  std::string_view text;  // lower case
  double factor;
};

struct Unit {
  std::string_view text;  // lower case; the longer spellings first
  AmountDimension dimension;
  double factor;  // to micrograms for mass
};

constexpr Word kMultipliers[] = {
    {"mil millones de", 1e9},
    {"mil millones", 1e9},
    {"millones de", 1e6},
    {"millones", 1e6},
    {"millón de", 1e6},
    {"millón", 1e6},
    {"millardos de", 1e9},
    {"millardos", 1e9},
    {"billones de", 1e12},
    {"billones", 1e12},
    {"billón de", 1e12},
    {"billón", 1e12},
    {"mil", 1e3},
    {"thousand", 1e3},
    {"millions of", 1e6},
    {"millions", 1e6},
    {"million", 1e6},
    {"billions of", 1e9},
    {"billions", 1e9},
    {"billion", 1e9},
};

constexpr Unit kUnits[] = {
    {"unidades formadoras de colonias", AmountDimension::kColonyFormingUnits, 1},
    {"colony-forming units", AmountDimension::kColonyFormingUnits, 1},
    {"colony forming units", AmountDimension::kColonyFormingUnits, 1},
    {"unidades internacionales", AmountDimension::kInternationalUnits, 1},
    {"international units", AmountDimension::kInternationalUnits, 1},
    {"microgramos", AmountDimension::kMass, 1},
    {"microgramo", AmountDimension::kMass, 1},
    {"micrograms", AmountDimension::kMass, 1},
    {"microgram", AmountDimension::kMass, 1},
    {"miligramos", AmountDimension::kMass, 1e3},
    {"miligramo", AmountDimension::kMass, 1e3},
    {"milligrams", AmountDimension::kMass, 1e3},
    {"milligram", AmountDimension::kMass, 1e3},
    {"gramos", AmountDimension::kMass, 1e6},
    {"gramo", AmountDimension::kMass, 1e6},
    {"grams", AmountDimension::kMass, 1e6},
    {"gram", AmountDimension::kMass, 1e6},
    {"\xC2\xB5g", AmountDimension::kMass, 1},  // µg, MICRO SIGN
    {"\xCE\xBCg", AmountDimension::kMass, 1},  // μg, GREEK SMALL LETTER MU
    {"mcg", AmountDimension::kMass, 1},
    {"ug", AmountDimension::kMass, 1},
    {"mg", AmountDimension::kMass, 1e3},
    {"gr", AmountDimension::kMass, 1e6},
    {"g", AmountDimension::kMass, 1e6},
    {"ui", AmountDimension::kInternationalUnits, 1},
    {"iu", AmountDimension::kInternationalUnits, 1},
    {"ufc", AmountDimension::kColonyFormingUnits, 1},
    {"cfu", AmountDimension::kColonyFormingUnits, 1},
};

constexpr std::string_view kConnectors[] = {
    "-", "\xE2\x80\x93", "\xE2\x80\x94", "a", "al", "hasta", "to", "y", "e", "and", "o", "u", "or"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether the byte at `i` begins (or continues) a word: an ASCII letter or digit, or a UTF-8
// Latin letter (lead bytes 0xC3..0xC5 cover U+00C0..U+017F).
bool WordByte(std::string_view text, std::size_t i) {
  if (i >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  return IsAsciiLetter(text[i]) || IsDigit(text[i]) || (c >= 0xC3 && c <= 0xC5);
}

// The length of a no-break (U+00A0) or narrow no-break (U+202F) space at `i`, else 0.
std::size_t NoBreakSpace(std::string_view text, std::size_t i) {
  if (text.substr(i, 2) == "\xC2\xA0") return 2;
  if (text.substr(i, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

std::size_t SkipSpaces(std::string_view text, std::size_t i) {
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
    } else if (std::size_t n = NoBreakSpace(text, i)) {
      i += n;
    } else {
      break;
    }
  }
  return i;
}

// Whether `word` (lower case) is at `i`, case-insensitively, as whole words.
bool WordAt(std::string_view text, std::size_t i, std::string_view word) {
  if (text.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (Lower(text[i + k]) != word[k]) return false;
  return !WordByte(text, i + word.size());
}

struct Number {
  std::size_t begin = 0;
  std::size_t end = 0;
  double value = 0;
  std::optional<Amount> unit;  // dimension and factor (in value) when a unit follows
  double factor = 1;
};

double Digits(std::string_view digits) {
  double v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Reads the number at `i` (a digit). Groups of digits and the separators between them are read
// first, then interpreted by the locale's rules.
Number ReadNumber(std::string_view text, std::size_t i, bool english) {
  Number n;
  n.begin = i;
  std::vector<std::string_view> groups;
  std::vector<char> seps;  // '.', ',' or ' ' (a no-break space)
  std::size_t j = i;
  while (true) {
    const std::size_t start = j;
    while (j < text.size() && IsDigit(text[j])) ++j;
    groups.push_back(text.substr(start, j - start));
    if (j < text.size() && (text[j] == '.' || text[j] == ',') && j + 1 < text.size() &&
        IsDigit(text[j + 1])) {
      seps.push_back(text[j]);
      ++j;
    } else if (std::size_t nb = NoBreakSpace(text, j);
               nb != 0 && j + nb < text.size() && IsDigit(text[j + nb])) {
      seps.push_back(' ');
      j += nb;
    } else {
      break;
    }
  }
  n.end = j;
  const char decimal = english ? '.' : ',';
  const char thousands = english ? ',' : '.';
  auto grouped = [&](std::size_t count) {  // groups[0..count) form a thousands-grouped integer
    if (count > 1 && (groups[0].size() > 3 || groups[0].empty())) return false;
    for (std::size_t k = 1; k < count; ++k) {
      if (groups[k].size() != 3 || (seps[k - 1] != thousands && seps[k - 1] != ' ')) return false;
    }
    return true;
  };
  auto integer = [&](std::size_t count) {
    double v = 0;
    for (std::size_t k = 0; k < count; ++k)
      v = v * std::pow(10.0, groups[k].size()) + Digits(groups[k]);
    return v;
  };
  auto fraction = [](std::string_view digits) {
    return Digits(digits) / std::pow(10.0, static_cast<double>(digits.size()));
  };
  const std::size_t count = groups.size();
  if (seps.empty()) {
    n.value = Digits(groups[0]);
  } else if (seps.back() == decimal && grouped(count - 1)) {
    n.value = integer(count - 1) + fraction(groups.back());
  } else if (grouped(count)) {
    n.value = integer(count);
  } else if (seps.size() == 1 && seps[0] == thousands) {
    n.value = Digits(groups[0]) + fraction(groups[1]);  // "2.5" in Spanish, "2,5" in English
  } else {
    n.value = std::numeric_limits<double>::quiet_NaN();
  }
  return n;
}

// The multiplier and unit after a number ending at `i`, if a unit follows.
std::optional<std::pair<double, Amount>> ReadUnit(std::string_view text, std::size_t i) {
  i = SkipSpaces(text, i);
  double multiplier = 1;
  for (const Word& w : kMultipliers) {
    if (WordAt(text, i, w.text)) {
      multiplier = w.factor;
      i = SkipSpaces(text, i + w.text.size());
      break;
    }
  }
  for (const Unit& u : kUnits) {
    if (WordAt(text, i, u.text)) {
      Amount a;
      a.dimension = u.dimension;
      a.end = i + u.text.size();
      return std::pair{multiplier * u.factor, a};
    }
  }
  return std::nullopt;
}

bool Connects(std::string_view between) {
  std::size_t b = SkipSpaces(between, 0);
  std::size_t e = between.size();
  while (e > b && (between[e - 1] == ' ' || between[e - 1] == '\t')) --e;
  std::string word;
  for (char c : between.substr(b, e - b)) word += Lower(c);
  for (std::string_view c : kConnectors)
    if (word == c) return true;
  return false;
}

}  // namespace

std::vector<Amount> FindAmounts(std::string_view text, std::string_view locale) {
  const bool english = locale == "en";
  std::vector<Number> numbers;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    const bool glued =
        (i > 0 && WordByte(text, i - 1)) ||
        (i > 1 && static_cast<unsigned char>(text[i - 1]) >= 0x80 && WordByte(text, i - 2)) ||
        (i > 1 && text[i - 1] == '-' && IsAsciiLetter(text[i - 2]));
    Number n = ReadNumber(text, i, english);
    if (!glued) {
      if (auto unit = ReadUnit(text, n.end)) {
        n.factor = unit->first;
        n.unit = unit->second;
        n.unit->begin = n.begin;
      }
      numbers.push_back(n);
    }
    i = n.end;
    while (i < text.size() && WordByte(text, i)) ++i;  // "12abc": the rest of the word
  }
  // A number joined to the next one by a connector takes its unit ("200 a 400 mg").
  for (std::size_t k = numbers.size(); k-- > 1;) {
    Number& a = numbers[k - 1];
    const Number& b = numbers[k];
    if (a.unit || !b.unit) continue;
    if (!Connects(text.substr(a.end, b.begin - a.end))) continue;
    a.unit = Amount{0, b.unit->dimension, a.begin, a.end};
    a.factor = b.factor;
  }
  std::vector<Amount> out;
  for (const Number& n : numbers) {
    if (!n.unit) continue;
    Amount a = *n.unit;
    a.value = n.value * n.factor;
    out.push_back(a);
  }
  return out;
}

bool SameAmount(const Amount& a, const Amount& b) {
  if (a.dimension != b.dimension || std::isnan(a.value) || std::isnan(b.value)) return false;
  return std::fabs(a.value - b.value) <= 1e-9 * std::max(std::fabs(a.value), std::fabs(b.value));
}

}  // namespace vitarec::llm

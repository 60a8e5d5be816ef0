// Amounts with a unit in free text ("400 mg", "1.000 UI", "2,5 µg", "10 mil millones de UFC"),
// as the guardrail needs them: every dose a model writes must be one the result states.
//
// Units (ASCII case-insensitive, whole words): mass mcg, µg, μg, ug, mg, g, gr and the words
// (micro|mili|milli)gram(o)(s); international units UI, IU, "unidades internacionales",
// "international units"; colony-forming units UFC, CFU and their words. Between number and
// unit an optional multiplier ("mil", "millones (de)", "mil millones (de)", "billones (de)" =
// 10^12 in Spanish, "thousand", "million(s)", "billion(s)" = 10^9 in English).
// Numbers follow the locale: Spanish "1.000,5", English "1,000.5"; the other separator is read
// as a decimal point when it cannot be a thousands separator ("2.5" in Spanish is 2.5, "1.000"
// is 1000); a no-break or narrow no-break space may group thousands. A number glued to a letter
// ("B12", "omega-3", "D3") is not an amount. In a range or list joined by "-", "–", "—", "a",
// "al", "hasta", "to", "y", "e", "and", "o", "u", "or" ("200 a 400 mg"), the earlier numbers
// take the unit of the last. Numbers written in words are not recognised.
#pragma once

#include <string_view>
#include <vector>

namespace vitarec::llm {

enum class AmountDimension { kMass, kInternationalUnits, kColonyFormingUnits };

struct Amount {
  double value = 0;  // micrograms for kMass, units otherwise; NaN when the number is unreadable
  AmountDimension dimension = AmountDimension::kMass;
  std::size_t begin = 0;  // bytes of the text: the number ...
  std::size_t end = 0;    // ... through its unit (or the number only, when the unit is shared)
};

// Every amount with a unit in `text`, in order. `locale` "en" reads English numbers, anything
// else Spanish ones.
std::vector<Amount> FindAmounts(std::string_view text, std::string_view locale);

// The same quantity in the same dimension (3 g and 3000 mg are the same); an unreadable number
// matches nothing.
bool SameAmount(const Amount& a, const Amount& b);

}  // namespace vitarec::llm

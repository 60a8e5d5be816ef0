#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "llm/Amounts.h"
#include "llm/RandomText.h"

namespace vitarec::llm {
namespace {

using D = AmountDimension;

struct Expected {
  double value;
  D dimension;
  std::string written;  // the bytes the amount spans
};

struct Case {
  std::string locale;
  std::string text;
  std::vector<Expected> amounts;
};

TEST(AmountsTest, FindsEveryAmountWithAUnit) {
  const double nan = std::nan("");
  const Case cases[] = {
      {"es", "Toma 400 mg al día.", {{400e3, D::kMass, "400 mg"}}},
      {"es",
       "400mg, 2,5 mg y 0,5 g",
       {{400e3, D::kMass, "400mg"}, {2.5e3, D::kMass, "2,5 mg"}, {0.5e6, D::kMass, "0,5 g"}}},
      {"es", "1.000 UI de vitamina D3", {{1000, D::kInternationalUnits, "1.000 UI"}}},
      {"es",
       "10.000 ui o 2.5 mcg",
       {{10000, D::kInternationalUnits, "10.000 ui"}, {2.5, D::kMass, "2.5 mcg"}}},
      {"es", "1.000,5 mg", {{1000.5e3, D::kMass, "1.000,5 mg"}}},
      {"es", "1,000 UI (coma decimal en español)", {{1, D::kInternationalUnits, "1,000 UI"}}},
      {"es",
       "25 µg, 25 μg, 25 ug, 25 microgramos",
       {{25, D::kMass, "25 \xC2\xB5g"},
        {25, D::kMass, "25 \xCE\xBCg"},
        {25, D::kMass, "25 ug"},
        {25, D::kMass, "25 microgramos"}}},
      {"es",
       "3 gramos o 3 g o 3 gr",
       {{3e6, D::kMass, "3 gramos"}, {3e6, D::kMass, "3 g"}, {3e6, D::kMass, "3 gr"}}},
      {"es", "10 mil millones de UFC", {{1e10, D::kColonyFormingUnits, "10 mil millones de UFC"}}},
      {"es", "10.000 millones de UFC", {{1e10, D::kColonyFormingUnits, "10.000 millones de UFC"}}},
      {"es", "10 billones de UFC", {{1e13, D::kColonyFormingUnits, "10 billones de UFC"}}},
      {"es",
       "entre 200 y 400 mg; de 1 a 2 g; 30-60 mg",
       {{200e3, D::kMass, "200"},
        {400e3, D::kMass, "400 mg"},
        {1e6, D::kMass, "1"},
        {2e6, D::kMass, "2 g"},
        {30e3, D::kMass, "30"},
        {60e3, D::kMass, "60 mg"}}},
      {"es",
       "1\xC2\xA0"
       "000 UI",
       {{1000, D::kInternationalUnits,
         "1\xC2\xA0"
         "000 UI"}}},
      {"es", "La vitamina B12, el omega-3 y el 5-HTP; 2 cápsulas; 4 horas; 5 gotas; 20 %", {}},
      {"es", "Magnesio 200 MG.", {{200e3, D::kMass, "200 MG"}}},
      {"es", "1.2.3 mg", {{nan, D::kMass, "1.2.3 mg"}}},
      {"en",
       "Take 1,000 IU or 2.5 mg or 1,5 mg",
       {{1000, D::kInternationalUnits, "1,000 IU"},
        {2.5e3, D::kMass, "2.5 mg"},
        {1.5e3, D::kMass, "1,5 mg"}}},
      {"en",
       "10 billion CFU, 500 milligrams, 25 international units",
       {{1e10, D::kColonyFormingUnits, "10 billion CFU"},
        {500e3, D::kMass, "500 milligrams"},
        {25, D::kInternationalUnits, "25 international units"}}},
      {"en",
       "200 to 400 mg, 1 or 2 g",
       {{200e3, D::kMass, "200"},
        {400e3, D::kMass, "400 mg"},
        {1e6, D::kMass, "1"},
        {2e6, D::kMass, "2 g"}}},
      {"en", "2 mgs is not a unit we read; 3 grapes neither", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.locale + ": " + c.text);
    const std::vector<Amount> found = FindAmounts(c.text, c.locale);
    ASSERT_EQ(found.size(), c.amounts.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (std::isnan(c.amounts[i].value)) {
        EXPECT_TRUE(std::isnan(found[i].value));
      } else {
        EXPECT_DOUBLE_EQ(found[i].value, c.amounts[i].value);
      }
      EXPECT_EQ(found[i].dimension, c.amounts[i].dimension);
      EXPECT_EQ(c.text.substr(found[i].begin, found[i].end - found[i].begin), c.amounts[i].written);
    }
  }
}

TEST(AmountsTest, SameAmountAcrossMassUnitsOnly) {
  auto one = [](const std::string& text) { return FindAmounts(text, "es").at(0); };
  EXPECT_TRUE(SameAmount(one("3 g"), one("3000 mg")));
  EXPECT_TRUE(SameAmount(one("0,4 mg"), one("400 mcg")));
  EXPECT_FALSE(SameAmount(one("400 mg"), one("400 mcg")));
  EXPECT_FALSE(SameAmount(one("25 mcg"), one("1000 UI")));  // a conversion we do not make
  EXPECT_FALSE(SameAmount(one("1.2.3 mg"), one("1.2.3 mg")));
}

}  // namespace
}  // namespace vitarec::llm

namespace vitarec::llm {
namespace {

// Random text made of the pieces amounts are made of: every span found lies inside the text,
// spans are in order and do not overlap, and nothing crashes.
TEST(AmountsTest, RandomTextNeverBreaksTheScanner) {
  const std::vector<std::string> pieces = {
      "1",  "00", "5",  ".", ",",        " ",   "\xC2\xA0", "\xE2\x80\xAF",
      "mg", "g",  "UI", "µ", "\xCE\xBC", "mil", "millones", "de",
      "a",  "-",  "B",  "é", "\xC3",     "\n",  "UFC"};
  std::mt19937 random(7);
  for (int round = 0; round < 3000; ++round) {
    const std::string text = testing::RandomText(random, pieces, 20);
    for (const char* locale : {"es", "en"}) {
      std::size_t last_end = 0;
      for (const Amount& a : FindAmounts(text, locale)) {
        ASSERT_LE(a.begin, a.end) << text;
        ASSERT_LE(a.end, text.size()) << text;
        ASSERT_GE(a.begin, last_end) << text;
        last_end = a.end;
      }
    }
  }
}

}  // namespace
}  // namespace vitarec::llm

// Typo correction never invents a safety fact: a misspelt word is never read as a medicine, a
// drug class or a condition; common words are never corrected into an entity; and a correction
// is shown by the entity's display name in the request's language, never a folded alias.
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

using support::Kb;
using support::RunQuery;
using support::Strings;

struct NoFactCase {
  std::string query;
  std::string locale;
};
void PrintTo(const NoFactCase& c, std::ostream* os) { *os << c.query; }

class TypoNeverInventsASafetyFactTest : public ::testing::TestWithParam<NoFactCase> {};

TEST_P(TypoNeverInventsASafetyFactTest, NamesNoMedicineNorCondition) {
  const auto out = RunQuery(GetParam().query, GetParam().locale);
  const auto& matched = out.at("matched").as_object();
  EXPECT_TRUE(Strings(matched, "medications").empty());
  EXPECT_TRUE(Strings(matched, "conditions").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, TypoNeverInventsASafetyFactTest,
    ::testing::Values(NoFactCase{"insulna", "es"}, NoFactCase{"magnesio y warfarna", "es"},
                      NoFactCase{"embarazda", "es"}, NoFactCase{"antidepresibos", "es"},
                      NoFactCase{"insullin", "en"}, NoFactCase{"pregnnant iron", "en"},
                      NoFactCase{"warfarn", "en"}));

// The rule over the whole knowledge base: one letter dropped from any medicine, drug class or
// condition name never reads as a medicine, class or condition.
TEST(TypoSafetyTest, NoMisspeltSafetyNameIsCorrectedIntoASafetyEntity) {
  const KnowledgeBase& kb = *Kb();
  const KindMask safety =
      MaskOf(TermKind::kDrug) | MaskOf(TermKind::kDrugClass) | MaskOf(TermKind::kCondition);
  std::vector<std::string> names;
  for (const Drug& d : kb.drugs()) names.insert(names.end(), {d.name.es, d.name.en});
  for (const DrugClass& c : kb.drug_classes()) names.insert(names.end(), {c.name.es, c.name.en});
  for (const Condition& c : kb.conditions()) names.insert(names.end(), {c.name.es, c.name.en});
  for (const std::string& name : names) {
    const std::string folded = FoldText(name);
    if (folded.find(' ') != std::string::npos || folded.size() < 6) continue;
    const std::string typo = folded.substr(0, 2) + folded.substr(3);
    if (kb.matcher().Find(typo) != nullptr) continue;  // the typo is itself a real alias
    const MatchResult m = kb.matcher().Match(typo, safety);
    EXPECT_TRUE(m.matches.empty()) << name << " -> " << typo;
  }
}

struct CommonWordCase {
  std::string query;
  std::string locale;
};
void PrintTo(const CommonWordCase& c, std::ostream* os) { *os << c.query; }

class CommonWordsTest : public ::testing::TestWithParam<CommonWordCase> {};

TEST_P(CommonWordsTest, AreNeverCorrectedIntoAnEntity) {
  const auto out = RunQuery(GetParam().query, GetParam().locale);
  const auto& matched = out.at("matched").as_object();
  EXPECT_TRUE(matched.at("corrections").as_array().empty());
  EXPECT_TRUE(Strings(matched, "goals").empty());
  EXPECT_TRUE(Strings(matched, "supplements").empty());
  EXPECT_TRUE(Strings(matched, "conditions").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, CommonWordsTest,
    ::testing::Values(CommonWordCase{"suero", "es"}, CommonWordCase{"cola", "es"},
                      CommonWordCase{"unas", "es"}, CommonWordCase{"unas vitaminas", "es"},
                      CommonWordCase{"sauce", "es"}, CommonWordCase{"hija", "es"},
                      CommonWordCase{"niño", "es"}, CommonWordCase{"nino", "es"},
                      CommonWordCase{"sugar", "en"}, CommonWordCase{"kids", "en"},
                      CommonWordCase{"water", "en"}));

TEST(CommonWordsRuleTest, TheAccentedSpellingStillNamesItsGoal) {
  const auto out = RunQuery("uñas");
  EXPECT_EQ(Strings(out.at("matched").as_object(), "goals"),
            std::vector<std::string>{"skin_hair_nails"});
}

struct DisplayCase {
  std::string query;
  std::string locale;
  std::string to;
};
void PrintTo(const DisplayCase& c, std::ostream* os) { *os << c.query; }

class CorrectionDisplayTest : public ::testing::TestWithParam<DisplayCase> {};

TEST_P(CorrectionDisplayTest, ShowsTheDisplayNameInTheRequestLanguage) {
  const DisplayCase& c = GetParam();
  const auto out = RunQuery(c.query, c.locale);
  const auto& corrections = out.at("matched").at("corrections").as_array();
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0].at("to").as_string(), c.to);
}

INSTANTIATE_TEST_SUITE_P(Table, CorrectionDisplayTest,
                         ::testing::Values(DisplayCase{"insomnyo", "es", "dormir mejor"},
                                           DisplayCase{"insomnyo", "en", "better sleep"},
                                           DisplayCase{"magnesiun", "es", "Magnesio"},
                                           DisplayCase{"magnesiun", "en", "Magnesium"},
                                           DisplayCase{"melatonnina", "es", "Melatonina"},
                                           DisplayCase{"ashwagadha", "en", "Ashwagandha"}));

}  // namespace
}  // namespace vitarec::recommend

// Children and infants named in free text: the age or age group the query gives applies as the
// quiz's age would (minimum ages, child upper limits, the paediatrician advice), an age known only
// as "child" is read as its youngest and most cautious case, and words about the person are never
// corrected into something else.
#include <gtest/gtest.h>

#include <optional>

#include "TestSupport.h"
#include "recommend/Person.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::ExcludedIds;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct ChildCase {
  std::string name;
  std::string query;
  std::string locale;
  std::string supplement;
  bool excluded;                             // left out (min_age) rather than offered
  std::string mentions;                      // in the exclusion reason or the item's warnings
  std::optional<int> amount = std::nullopt;  // the personal dose, when offered
  // The age whose upper limit the item must show (the child's, or the youngest of the group),
  // which must be lower than an adult's.
  std::optional<int> limit_of_age = std::nullopt;
  std::optional<int> quiz_age = std::nullopt;
};
void PrintTo(const ChildCase& c, std::ostream* os) { *os << c.name; }

class ChildAgeRulesTest : public ::testing::TestWithParam<ChildCase> {};

TEST_P(ChildAgeRulesTest, TheAgeTheQueryGivesApplies) {
  const ChildCase& c = GetParam();
  std::optional<QuizAnswers> answers;
  if (c.quiz_age) answers = support::Answers(c.quiz_age);
  const auto out = RunRequest(support::MakeRequest(c.query, c.locale, answers));
  const std::string paediatrician = c.locale == "en" ? "paediatrician" : "tu pediatra";
  EXPECT_TRUE(AnyContains(Strings(out, "warnings"), paediatrician)) << "general advice";
  if (c.excluded) {
    EXPECT_EQ(FindItem(out, c.supplement), nullptr);
    const auto ids = ExcludedIds(out);
    EXPECT_NE(std::find(ids.begin(), ids.end(), c.supplement), ids.end());
    EXPECT_TRUE(AnyContains(Strings(out, "warnings"), c.mentions)) << c.mentions;
    return;
  }
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), paediatrician));
  if (!c.mentions.empty()) {
    EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), c.mentions));
  }
  const auto& dose = item->at("dose").as_object();
  if (c.amount) {
    EXPECT_EQ(dose.at("amount").as_int64(), *c.amount);
  }
  if (c.limit_of_age) {
    const Supplement& s = *support::Kb()->FindSupplement(c.supplement);
    Person child, adult;
    child.age = *c.limit_of_age;
    adult.age = 30;
    ASSERT_TRUE(UpperLimitFor(s, child) && UpperLimitFor(s, adult));
    EXPECT_EQ(dose.at("upper_limit").as_int64(), *UpperLimitFor(s, child));
    EXPECT_LT(*UpperLimitFor(s, child), *UpperLimitFor(s, adult));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChildAgeRulesTest,
    ::testing::Values(
        // An exact age, in words or digits: the child's dose rule and upper limit.
        ChildCase{"SonOfSixVitaminD", "vitamina D para mi hijo de 6 años", "es", "vitamin_d", false,
                  "", 15, 6},
        ChildCase{"SixYearOldVitaminD", "vitamin D for my 6-year-old", "en", "vitamin_d", false, "",
                  15, 6},
        ChildCase{"AgeInWords", "vitamina c para mi hija de siete años", "es", "vitamin_c", false,
                  "", std::nullopt, 7},
        ChildCase{"EightYearOldMelatonin", "melatonin for my eight year old son", "en", "melatonin",
                  true, "under the age of 18"},
        // Below the minimum age, the age said in words.
        ChildCase{"SonOfSixNoMagnesium", "mi hijo de 6 años no duerme, ¿magnesio?", "es",
                  "magnesium", true, "por debajo de 9 años"},
        ChildCase{"InfantInMonths", "vitamina D para un bebé de 8 meses", "es", "vitamin_d", true,
                  "por debajo de 1 año"},
        ChildCase{"BabyEnglish", "vitamin D for my baby", "en", "vitamin_d", true,
                  "under the age of 1"},
        // "Children" only: the youngest child counts.
        ChildCase{"ChildrenMagnesium", "magnesio para niños", "es", "magnesium", true,
                  "por debajo de 9 años"},
        ChildCase{"KidsMagnesium", "magnesium for kids", "en", "magnesium", true,
                  "under the age of 9"},
        ChildCase{"ChildVitaminCSmallestLimit", "vitamina c para un niño", "es", "vitamin_c", true,
                  "por debajo de 4 años"},
        ChildCase{"ChildB12YoungestLimit", "vitamina b12 niños", "es", "vitamin_b12", false, "",
                  std::nullopt, std::nullopt},
        // Teenagers: the 9-13 group is the most cautious part of the range.
        ChildCase{"TeenagerVitaminC", "vitamina C para un adolescente", "es", "vitamin_c", false,
                  "", std::nullopt, 12},
        ChildCase{"TeenagerVitaminCEnglish", "vitamin C for a teenager", "en", "vitamin_c", false,
                  "", std::nullopt, 12},
        ChildCase{"TeenagerMelatonin", "melatonin for teens", "en", "melatonin", true,
                  "under the age of 18"},
        // The query speaks of the child even when the quiz has the parent's age.
        ChildCase{"QueryChildWinsOverQuizAdult", "melatonina para mi hijo de 8 años", "es",
                  "melatonin", true, "por debajo de 18 años", std::nullopt, std::nullopt, 40}),
    [](const auto& info) { return info.param.name; });

struct WordCase {
  std::string query;
  std::string locale;
};
void PrintTo(const WordCase& c, std::ostream* os) { *os << c.query; }

class PersonWordsTest : public ::testing::TestWithParam<WordCase> {};

TEST_P(PersonWordsTest, AreNeverCorrectedNorUnknown) {
  const WordCase& c = GetParam();
  const auto out = support::RunQuery(c.query, c.locale);
  const auto& matched = out.at("matched").as_object();
  EXPECT_TRUE(matched.at("corrections").as_array().empty()) << c.query;
  EXPECT_TRUE(matched.at("unknown").as_array().empty()) << c.query;
  EXPECT_EQ(Strings(matched, "supplements"), std::vector<std::string>{"vitamin_d"});
}

INSTANTIATE_TEST_SUITE_P(Table, PersonWordsTest,
                         ::testing::Values(WordCase{"vitamina d niño", "es"},
                                           WordCase{"vitamina d niña", "es"},
                                           WordCase{"vitamina d para mi hija", "es"},
                                           WordCase{"vitamina d para mi hijo de 6 años", "es"},
                                           WordCase{"vitamina d bebé", "es"},
                                           WordCase{"vitamin d for my son", "en"},
                                           WordCase{"vitamin d for kids", "en"},
                                           WordCase{"vitamin d for a 10 year old", "en"}));

struct NotAChildCase {
  std::string query;
  std::string locale;
  std::string supplement;
};
void PrintTo(const NotAChildCase& c, std::ostream* os) { *os << c.query; }

class NotAChildTest : public ::testing::TestWithParam<NotAChildCase> {};

// Numbers of years or months that are not the person's age, and babies who are not the person.
TEST_P(NotAChildTest, KeepsTheAdultReading) {
  const NotAChildCase& c = GetParam();
  const auto out = support::RunQuery(c.query, c.locale);
  EXPECT_NE(FindItem(out, c.supplement), nullptr);
  EXPECT_FALSE(
      AnyContains(Strings(out, "warnings"), c.locale == "en" ? "paediatrician" : "pediatra"));
}

INSTANTIATE_TEST_SUITE_P(
    Table, NotAChildTest,
    ::testing::Values(NotAChildCase{"magnesio, tengo 45 años", "es", "magnesium"},
                      NotAChildCase{"tomo magnesio desde hace 2 años", "es", "magnesium"},
                      NotAChildCase{"hierro desde hace 3 meses", "es", "iron"},
                      NotAChildCase{"I have taken magnesium for 2 years", "en", "magnesium"},
                      NotAChildCase{"embarazada de 3 meses, hierro", "es", "iron"},
                      NotAChildCase{"doy el pecho a mi bebé de 3 meses, hierro", "es", "iron"},
                      NotAChildCase{"breastfeeding my 2 month old baby, iodine", "en", "iodine"}));

}  // namespace
}  // namespace vitarec::recommend

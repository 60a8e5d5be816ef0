// Upper limits for a European audience: the lower of the EFSA and the US (IOM) limit for every
// person, shown with the body that sets it and whether food counts; and the EU rules on red yeast
// rice (under 3 mg monacolins a day; not under 18, over 70, in pregnancy or lactation, or with
// cholesterol medicines).
#include <gtest/gtest.h>

#include "RuleExpectations.h"
#include "TestSupport.h"
#include "recommend/UpperLimit.h"

namespace vitarec::recommend {
namespace {

using support::FindItem;
using support::Kb;
using support::RunRequest;

struct LimitCase {
  std::string name;
  std::string supplement;
  std::optional<int> age;
  bool pregnant;
  int limit;
  LimitBody body;
  bool counts_food;
};
void PrintTo(const LimitCase& c, std::ostream* os) { *os << c.name; }

class UpperLimitTest : public ::testing::TestWithParam<LimitCase> {};

TEST_P(UpperLimitTest, AppliesTheLowerOfEfsaAndIom) {
  const LimitCase& c = GetParam();
  const Supplement* s = Kb()->FindSupplement(c.supplement);
  ASSERT_NE(s, nullptr);
  Person p;
  p.age = c.age;
  p.sex = c.pregnant ? Sex::kFemale : Sex::kAny;
  p.pregnant = c.pregnant;
  EXPECT_EQ(UpperLimitFor(*s, p), c.limit);
  EXPECT_EQ(UpperLimitBodyFor(*s, p), c.body);
  EXPECT_EQ(s->ul_counts_food, c.counts_food);
}

INSTANTIATE_TEST_SUITE_P(
    Table, UpperLimitTest,
    ::testing::Values(
        LimitCase{"VitaminB6AdultEfsa", "vitamin_b6", 40, false, 12, LimitBody::kEfsa, true},
        LimitCase{"VitaminB6UnknownAgeEfsa", "vitamin_b6", std::nullopt, false, 12,
                  LimitBody::kEfsa, true},
        LimitCase{"VitaminB6PregnancyEfsa", "vitamin_b6", 30, true, 12, LimitBody::kEfsa, true},
        LimitCase{"VitaminDChildEfsa", "vitamin_d", 6, false, 50, LimitBody::kEfsa, true},
        LimitCase{"VitaminDAdultBoth", "vitamin_d", 40, false, 100, LimitBody::kBoth, true},
        LimitCase{"CalciumOlderAdultIom", "calcium", 60, false, 2000, LimitBody::kIom, true},
        LimitCase{"MagnesiumAdultEfsaSupplementsOnly", "magnesium", 40, false, 250,
                  LimitBody::kEfsa, false},
        LimitCase{"FolicAcidAt14Efsa", "folate", 14, false, 600, LimitBody::kEfsa, false},
        LimitCase{"ZincAdultEfsa", "zinc", 40, false, 25, LimitBody::kEfsa, true},
        LimitCase{"VitaminAToddlerIom", "vitamin_a", 2, false, 600, LimitBody::kIom, true},
        LimitCase{"CaffeinePregnancyEfsa", "caffeine", 30, true, 200, LimitBody::kEfsa, true}));

TEST(UpperLimitTablesTest, AnEfsaLimitForEveryoneWinsOverAHigherUsPregnancyRow) {
  const std::vector<IntakeRow> iom = {{{19, 50, Sex::kAny, LifeStage::kAny}, 100},
                                      {{19, 50, Sex::kAny, LifeStage::kPregnancy}, 80}};
  const std::vector<IntakeRow> efsa = {{{18, 120, Sex::kAny, LifeStage::kAny}, 12}};
  Supplement s;
  s.ul_iom = iom;
  s.ul_efsa = efsa;
  s.ul = LowerOfTables(iom, efsa);
  Person p;
  p.age = 30;
  p.sex = Sex::kFemale;
  p.pregnant = true;
  EXPECT_EQ(UpperLimitFor(s, p), 12);
  p.pregnant = false;
  p.age = 60;
  EXPECT_EQ(UpperLimitFor(s, p), 12);
}

struct ShownCase {
  std::string name;
  std::string locale;
  std::string query;
  std::string supplement;
  std::string source;
  std::vector<std::string> note_mentions;
};
void PrintTo(const ShownCase& c, std::ostream* os) { *os << c.name; }

class UpperLimitShownTest : public ::testing::TestWithParam<ShownCase> {};

TEST_P(UpperLimitShownTest, ShowsTheBodyAndWhetherFoodCounts) {
  const ShownCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  const auto out = RunRequest(request);
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  const auto& dose = item->at("dose").as_object();
  EXPECT_EQ(dose.at("upper_limit_source").as_string(), c.source);
  const std::string note(dose.at("note").as_string());
  for (const std::string& m : c.note_mentions) EXPECT_NE(note.find(m), std::string::npos) << note;
}

INSTANTIATE_TEST_SUITE_P(
    Table, UpperLimitShownTest,
    ::testing::Values(ShownCase{"VitaminB6Es",
                                "es",
                                "vitamina b6",
                                "vitamin_b6",
                                "EFSA",
                                {"12 mg", "EFSA", "el más bajo", "contando también los alimentos"}},
                      ShownCase{"VitaminB6En",
                                "en",
                                "vitamin b6",
                                "vitamin_b6",
                                "EFSA",
                                {"12 mg", "EFSA", "the lower", "counting food"}},
                      ShownCase{"MagnesiumEs",
                                "es",
                                "magnesio",
                                "magnesium",
                                "EFSA",
                                {"250 mg", "solo de suplementos"}},
                      ShownCase{
                          "CalciumEn", "en", "calcium", "calcium", "IOM", {"2000 mg", "IOM"}}));

struct RedYeastCase {
  std::string name;
  std::string locale;
  QuizAnswers answers;
  std::string mentions;  // in the general warnings
};
void PrintTo(const RedYeastCase& c, std::ostream* os) { *os << c.name; }

QuizAnswers Aged(int age) {
  QuizAnswers a;
  a.age = age;
  a.sex = "female";
  return a;
}
QuizAnswers AgedTaking(int age, std::string medication) {
  QuizAnswers a = Aged(age);
  a.medications = {std::move(medication)};
  return a;
}
QuizAnswers PregnantAt(int age) {
  QuizAnswers a = Aged(age);
  a.pregnant = true;
  return a;
}

class RedYeastRiceTest : public ::testing::TestWithParam<RedYeastCase> {};

TEST_P(RedYeastRiceTest, FollowsTheEuRules) {
  const RedYeastCase& c = GetParam();
  RecommendRequest request;
  request.query = c.locale == "en" ? "red yeast rice" : "levadura roja de arroz";
  request.locale = c.locale;
  request.answers = c.answers;
  support::ExpectRuleApplied(RunRequest(request), "red_yeast_rice", "avoid", c.mentions);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RedYeastRiceTest,
    ::testing::Values(RedYeastCase{"Over70Es", "es", Aged(72), "70 años"},
                      RedYeastCase{"Over70En", "en", Aged(75), "age of 70"},
                      RedYeastCase{"Under18Es", "es", Aged(16), "18 años"},
                      RedYeastCase{"PregnancyEn", "en", PregnantAt(30), "pregnancy"},
                      RedYeastCase{"EzetimibeEs", "es", AgedTaking(50, "Ezetrol"), "ezetimiba"},
                      RedYeastCase{"CholesterolPillsEn", "en", AgedTaking(50, "cholesterol pills"),
                                   "cholesterol-lowering medicines"}));

TEST(RedYeastRiceTest, StatesTheMonacolinLimit) {
  for (const std::string locale : {"es", "en"}) {
    RecommendRequest request;
    request.query = "red yeast rice";
    request.locale = locale;
    request.answers = Aged(50);
    const auto out = RunRequest(request);
    const auto* item = FindItem(out, "red_yeast_rice");
    ASSERT_NE(item, nullptr);
    const std::string note(item->at("dose").at("note").as_string());
    EXPECT_NE(note.find("3 mg"), std::string::npos) << note;
    EXPECT_NE(note.find("2022/860"), std::string::npos) << note;
  }
}

}  // namespace
}  // namespace vitarec::recommend

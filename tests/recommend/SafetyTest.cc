// Personalisation and safety: who asks changes what is recommended, at what dose and with which
// warnings. Each row is a request and what must (not) happen to one supplement.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::ExcludedIds;
using support::FindItem;
using support::RunRequest;
using support::Strings;

enum class Outcome { kRecommended, kExcluded };

struct SafetyCase {
  std::string name;
  std::string query;
  QuizAnswers answers;
  std::string supplement;
  Outcome outcome;
  std::string mentions;  // text the item warnings (or the exclusion reason) must contain
  std::string locale = "es";
};
void PrintTo(const SafetyCase& c, std::ostream* os) { *os << c.name; }

QuizAnswers Adult() {
  QuizAnswers a;
  a.age = 40;
  a.sex = "female";
  return a;
}
QuizAnswers Taking(std::vector<std::string> medications) {
  QuizAnswers a = Adult();
  a.medications = std::move(medications);
  return a;
}
QuizAnswers With(std::vector<std::string> conditions) {
  QuizAnswers a = Adult();
  a.conditions = std::move(conditions);
  return a;
}
QuizAnswers Pregnant() {
  QuizAnswers a = Adult();
  a.age = 30;
  a.pregnant = true;
  return a;
}

class SafetyTest : public ::testing::TestWithParam<SafetyCase> {};

TEST_P(SafetyTest, AppliesTheRuleForThisPerson) {
  const SafetyCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  request.answers = c.answers;
  const auto out = RunRequest(request);
  const auto* item = FindItem(out, c.supplement);
  if (c.outcome == Outcome::kExcluded) {
    EXPECT_EQ(item, nullptr) << "an unsafe item must not be recommended";
    const auto excluded = ExcludedIds(out);
    EXPECT_NE(std::find(excluded.begin(), excluded.end(), c.supplement), excluded.end());
    EXPECT_TRUE(AnyContains(Strings(out, "warnings"), c.mentions))
        << "the general warnings must say why, naming " << c.mentions;
  } else {
    ASSERT_NE(item, nullptr);
    if (!c.mentions.empty()) {
      EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), c.mentions))
          << "the item must warn, naming " << c.mentions;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, SafetyTest,
    ::testing::Values(
        // Drug interactions, by drug name in either language or by class.
        SafetyCase{"MagnesiumSeparatedFromLevothyroxine", "magnesio", Taking({"levotiroxina"}),
                   "magnesium", Outcome::kRecommended, "al menos 4 horas"},
        SafetyCase{"MagnesiumSeparatedFromLevothyroxineEnglish", "magnesium",
                   Taking({"levothyroxine"}), "magnesium", Outcome::kRecommended,
                   "at least 4 hours apart from levothyroxine", "en"},
        SafetyCase{"GinkgoExcludedWithWarfarin", "ginkgo", Taking({"warfarina"}), "ginkgo",
                   Outcome::kExcluded, "warfarina"},
        SafetyCase{"VitaminKExcludedWithAcenocoumarol", "vitamina k", Taking({"Sintrom"}),
                   "vitamin_k", Outcome::kExcluded, "acenocumarol"},
        SafetyCase{"StJohnsWortExcludedWithSertraline", "hipérico", Taking({"sertralina"}),
                   "st_johns_wort", Outcome::kExcluded, "sertralina"},
        SafetyCase{"FiveHtpExcludedWithAntidepressantClass", "5-HTP", Taking({"antidepresivos"}),
                   "five_htp", Outcome::kExcluded, "serotonin"},
        SafetyCase{"StJohnsWortExcludedWithThePill", "st john's wort", Taking({"the pill"}),
                   "st_johns_wort", Outcome::kExcluded, "contraceptives", "en"},
        SafetyCase{"PotassiumExcludedWithEnalapril", "potasio", Taking({"enalapril"}), "potassium",
                   Outcome::kExcluded, "enalapril"},
        SafetyCase{"RedYeastRiceExcludedWithStatin", "levadura roja de arroz",
                   Taking({"atorvastatina"}), "red_yeast_rice", Outcome::kExcluded,
                   "atorvastatina"},
        SafetyCase{"OmegaThreeFlaggedWithAnticoagulant", "omega 3", Taking({"apixabán"}), "omega_3",
                   Outcome::kRecommended, "apixabán"},
        SafetyCase{"IronSeparatedFromCiprofloxacin", "hierro", Taking({"ciprofloxacino"}), "iron",
                   Outcome::kRecommended, "ciprofloxacino"},
        SafetyCase{"DrugNamedInTheQueryCounts", "magnesio y levotiroxina", Adult(), "magnesium",
                   Outcome::kRecommended, "levotiroxina"},
        // Conditions.
        SafetyCase{"IronExcludedInHaemochromatosis", "hierro", With({"hemocromatosis"}), "iron",
                   Outcome::kExcluded, "hemocromatosis"},
        SafetyCase{"PotassiumExcludedInKidneyDisease", "potassium",
                   With({"chronic kidney disease"}), "potassium", Outcome::kExcluded,
                   "kidney disease", "en"},
        SafetyCase{"MagnesiumFlaggedInKidneyDisease", "magnesio", With({"insuficiencia renal"}),
                   "magnesium", Outcome::kRecommended, "Enfermedad renal"},
        SafetyCase{"StJohnsWortExcludedInBipolarDisorder", "hipérico", With({"bipolar"}),
                   "st_johns_wort", Outcome::kExcluded, "trastorno bipolar"},
        SafetyCase{"GinkgoExcludedBeforeSurgery", "ginkgo", With({"me van a operar"}), "ginkgo",
                   Outcome::kExcluded, "cirugía"},
        // Pregnancy, and herbs without pregnancy data.
        SafetyCase{"AshwagandhaExcludedInPregnancy", "ashwagandha", Pregnant(), "ashwagandha",
                   Outcome::kExcluded, "embarazo"},
        SafetyCase{"BerberineExcludedInPregnancy", "berberine", Pregnant(), "berberine",
                   Outcome::kExcluded, "pregnancy", "en"},
        SafetyCase{"HerbWithoutPregnancyDataIsFlagged", "rhodiola", Pregnant(), "rhodiola",
                   Outcome::kRecommended, "embarazo"},
        SafetyCase{"PregnancyNamedInTheQueryCounts", "ashwagandha embarazada", Adult(),
                   "ashwagandha", Outcome::kExcluded, "embarazo"},
        // Age.
        SafetyCase{"HerbExcludedForAChild", "melatonina",
                   [] {
                     QuizAnswers a;
                     a.age = 9;
                     return a;
                   }(),
                   "melatonin", Outcome::kExcluded, "18"}),
    [](const auto& info) { return info.param.name; });

struct DoseCase {
  std::string name;
  std::string query;
  QuizAnswers answers;
  std::string supplement;
  int amount;
  bool capped = false;
};
void PrintTo(const DoseCase& c, std::ostream* os) { *os << c.name; }

class PersonalDoseTest : public ::testing::TestWithParam<DoseCase> {};

TEST_P(PersonalDoseTest, GivesTheDoseForThisPerson) {
  const DoseCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.answers = c.answers;
  const auto out = RunRequest(request);
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  const auto& dose = item->at("dose").as_object();
  EXPECT_EQ(dose.at("amount").as_int64(), c.amount);
  if (const auto* ul = dose.if_contains("upper_limit")) {
    EXPECT_LE(dose.at("amount").as_int64(), ul->as_int64());
  }
  EXPECT_EQ(AnyContains(Strings(*item, "warnings"), "límite superior"), c.capped);
}

QuizAnswers Person(int age, std::string sex, bool pregnant = false) {
  QuizAnswers a;
  a.age = age;
  a.sex = std::move(sex);
  a.pregnant = pregnant;
  return a;
}

INSTANTIATE_TEST_SUITE_P(
    Table, PersonalDoseTest,
    ::testing::Values(
        DoseCase{"MagnesiumAdult", "magnesio", Person(40, "male"), "magnesium", 200},
        DoseCase{"MagnesiumChild", "magnesio", Person(10, "female"), "magnesium", 100},
        DoseCase{"IronWomanOfChildbearingAge", "hierro", Person(30, "female"), "iron", 18},
        DoseCase{"IronMan", "hierro", Person(30, "male"), "iron", 8},
        DoseCase{"IronPregnancy", "hierro", Person(30, "female", true), "iron", 27},
        DoseCase{"IronUnknownSexIsConservative", "hierro", QuizAnswers{}, "iron", 8},
        DoseCase{"VitaminDChild", "vitamina d", Person(6, "male"), "vitamin_d", 15},
        DoseCase{"CaffeineInPregnancyStaysUnderLimit", "cafeína", Person(30, "female", true),
                 "caffeine", 100}),
    [](const auto& info) { return info.param.name; });

TEST(PersonalisationTest, VeganDietSuggestsB12) {
  RecommendRequest request;
  QuizAnswers a = Adult();
  a.diet = "vegan";
  request.answers = a;
  const auto out = RunRequest(request);
  ASSERT_FALSE(support::ItemIds(out).empty());
  EXPECT_EQ(support::ItemIds(out).front(), "vitamin_b12");
  EXPECT_TRUE(AnyContains(Strings(*FindItem(out, "vitamin_b12"), "reasons"), "vegana"));
}

TEST(PersonalisationTest, PregnancySuggestsFolicAcidAndGeneralWarning) {
  RecommendRequest request;
  request.answers = Pregnant();
  const auto out = RunRequest(request);
  EXPECT_NE(FindItem(out, "folate"), nullptr);
  EXPECT_TRUE(AnyContains(Strings(out, "warnings"), "embarazo"));
}

TEST(PersonalisationTest, UnknownMedicationIsWarnedAbout) {
  RecommendRequest request;
  request.query = "magnesio";
  request.answers = Taking({"zzyzxquinol"});
  const auto out = RunRequest(request);
  EXPECT_TRUE(AnyContains(Strings(out, "warnings"), "zzyzxquinol"));
}

TEST(PersonalisationTest, SleepGoalFromTheQuizRanksBestEvidenceFirstAndSkipsWeakOnes) {
  RecommendRequest request;
  QuizAnswers a = Adult();
  a.goals = {"sleep"};
  request.answers = a;
  const auto out = RunRequest(request);
  const auto ids = support::ItemIds(out);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "melatonin");  // the only grade B for sleep
  for (const auto& item : out.at("items").as_array())
    EXPECT_NE(item.at("evidence").at("grade").as_string(), "D");
}

}  // namespace
}  // namespace vitarec::recommend

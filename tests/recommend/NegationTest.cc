// Negation excludes: "sin cafeína", "no quiero melatonina", "without caffeine", "caffeine-free"
// leave the entity out (and never make the person take or have it), while health goals are never
// negated ("no puedo dormir" still asks about sleep).
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::FindItem;
using support::RunQuery;
using support::Strings;

struct NegationCase {
  std::string query;
  std::string locale;
  std::string left_out;                  // supplement id that must not be an item, or empty
  std::vector<std::string> supplements;  // matched.supplements
  std::vector<std::string> goals;        // matched.goals
  std::vector<std::string> medications = {};
  std::vector<std::string> conditions = {};
};
void PrintTo(const NegationCase& c, std::ostream* os) { *os << c.query; }

class NegationTest : public ::testing::TestWithParam<NegationCase> {};

TEST_P(NegationTest, ExcludesWhatIsNegated) {
  const NegationCase& c = GetParam();
  const auto out = RunQuery(c.query, c.locale);
  const auto& matched = out.at("matched").as_object();
  EXPECT_EQ(Strings(matched, "supplements"), c.supplements);
  EXPECT_EQ(Strings(matched, "goals"), c.goals);
  EXPECT_EQ(Strings(matched, "medications"), c.medications);
  EXPECT_EQ(Strings(matched, "conditions"), c.conditions);
  if (!c.left_out.empty()) {
    EXPECT_EQ(FindItem(out, c.left_out), nullptr);
    const auto negated = Strings(matched, "negated");
    EXPECT_NE(std::find(negated.begin(), negated.end(), c.left_out), negated.end());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NegationTest,
    ::testing::Values(
        NegationCase{"algo para la energía sin cafeína", "es", "caffeine", {}, {"energy"}},
        NegationCase{"energy without caffeine", "en", "caffeine", {}, {"energy"}},
        NegationCase{"caffeine-free energy", "en", "caffeine", {}, {"energy"}},
        NegationCase{"libre de cafeína para el cansancio", "es", "caffeine", {}, {"energy"}},
        NegationCase{"no quiero melatonina, algo para dormir", "es", "melatonin", {}, {"sleep"}},
        NegationCase{"I don't want melatonin, help me sleep", "en", "melatonin", {}, {"sleep"}},
        NegationCase{"dormir sin melatonina ni valeriana", "es", "valerian", {}, {"sleep"}},
        NegationCase{"sin azúcar", "es", "", {}, {}},
        NegationCase{"sin lactosa, calcio", "es", "", {"calcium"}, {}},
        NegationCase{"gluten free, vitamin d", "en", "", {"vitamin_d"}, {}},
        NegationCase{"magnesio sin cafeína", "es", "caffeine", {"magnesium"}, {}},
        // A negated medicine or condition is not taken or had.
        NegationCase{"no tomo warfarina, quiero ginkgo", "es", "", {"ginkgo"}, {}, {}},
        NegationCase{"not pregnant, iron", "en", "", {"iron"}, {}, {}, {}},
        NegationCase{"no estoy embarazada y quiero hierro", "es", "", {"iron"}, {}, {}, {}},
        // Goals are never negated, and end the negation's reach.
        NegationCase{"no puedo dormir", "es", "", {}, {"sleep"}},
        NegationCase{"no duermo bien, quiero magnesio", "es", "", {"magnesium"}, {"sleep"}},
        NegationCase{"no energy at all, caffeine?", "en", "", {"caffeine"}, {"energy"}}));

struct FormNegationCase {
  std::string query;
  std::string locale;
  std::string supplement;
  std::string left_out_form;  // form id
  std::string form_name;      // the form given instead
};
void PrintTo(const FormNegationCase& c, std::ostream* os) { *os << c.query; }

class FormNegationTest : public ::testing::TestWithParam<FormNegationCase> {};

TEST_P(FormNegationTest, GivesAnotherForm) {
  const FormNegationCase& c = GetParam();
  const auto out = RunQuery(c.query, c.locale);
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr) << "only the form is left out, not the supplement";
  EXPECT_EQ(item->at("form").as_string(), c.form_name);
  const auto& negated = out.at("matched").at("negated_forms").as_array();
  ASSERT_EQ(negated.size(), 1u);
  EXPECT_EQ(negated[0].at("form").as_string(), c.left_out_form);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormNegationTest,
    ::testing::Values(FormNegationCase{"magnesio pero no bisglicinato de magnesio", "es",
                                       "magnesium", "glycinate", "Citrato de magnesio"},
                      FormNegationCase{"omega 3 sin aceite de pescado", "es", "omega_3", "fish_oil",
                                       "Aceite de algas"},
                      FormNegationCase{"omega 3 without fish oil", "en", "omega_3", "fish_oil",
                                       "Algal oil"}));

struct AnswerCase {
  std::string name;
  std::vector<std::string> conditions;
  std::vector<std::string> medications;
};
void PrintTo(const AnswerCase& c, std::ostream* os) { *os << c.name; }

class NegatedAnswerTest : public ::testing::TestWithParam<AnswerCase> {};

TEST_P(NegatedAnswerTest, IsNeitherTakenNorHad) {
  QuizAnswers answers = support::Answers(40, "female");
  answers.conditions = GetParam().conditions;
  answers.medications = GetParam().medications;
  const auto out = support::RunRequest(support::MakeRequest("ginkgo", "es", answers));
  const auto& matched = out.at("matched").as_object();
  EXPECT_TRUE(Strings(matched, "conditions").empty());
  EXPECT_TRUE(Strings(matched, "medications").empty());
  EXPECT_NE(FindItem(out, "ginkgo"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NegatedAnswerTest,
    ::testing::Values(AnswerCase{"NoWarfarin", {}, {"no tomo warfarina"}},
                      AnswerCase{"NotOnWarfarinEnglish", {}, {"not warfarin"}},
                      AnswerCase{"NoBleedingDisorder", {"no tengo problemas de coagulación"}, {}},
                      AnswerCase{"NotPregnantEnglish", {"not pregnant"}, {}}),
    [](const auto& info) { return info.param.name; });

TEST(NegationRuleTest, ANegatedSupplementIsListedAsLeftOut) {
  const auto out = RunQuery("dormir mejor sin melatonina");
  bool listed = false;
  for (const auto& e : out.at("excluded").as_array())
    listed |= e.at("supplement").at("id").as_string() == "melatonin";
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace vitarec::recommend

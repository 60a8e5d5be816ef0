// What a free-text query is understood as, in Spanish and English, with typos, accents, goal
// phrases and drug names. Each row: query -> the ids expected in `matched`.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::RunQuery;

struct QueryCase {
  std::string name;  // test name suffix
  std::string query;
  std::vector<std::string> supplements;
  std::vector<std::string> goals;
  std::vector<std::string> medications;
  std::vector<std::string> conditions = {};
  void PrintTo(const QueryCase& c, std::ostream* os) { *os << c.name; }
};

std::vector<std::string> Ids(const boost::json::object& matched, const char* key) {
  return support::Strings(matched, key);
}

class QueryUnderstandingTest : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryUnderstandingTest, FindsWhatTheQueryNames) {
  const QueryCase& c = GetParam();
  const auto out = RunQuery(c.query);
  const auto& matched = out.at("matched").as_object();
  EXPECT_EQ(Ids(matched, "supplements"), c.supplements) << c.query;
  EXPECT_EQ(Ids(matched, "goals"), c.goals) << c.query;
  EXPECT_EQ(Ids(matched, "medications"), c.medications) << c.query;
  EXPECT_EQ(Ids(matched, "conditions"), c.conditions) << c.query;
}

INSTANTIATE_TEST_SUITE_P(
    Table, QueryUnderstandingTest,
    ::testing::Values(
        // Supplements by name, both languages, case, accents, punctuation.
        QueryCase{"Spanish", "magnesio", {"magnesium"}, {}, {}},
        QueryCase{"English", "Magnesium", {"magnesium"}, {}, {}},
        QueryCase{"UpperCaseAndPunctuation", "¡¡MAGNESIO!!", {"magnesium"}, {}, {}},
        QueryCase{"TypoSubstitution", "magnecio", {"magnesium"}, {}, {}},
        QueryCase{"TypoSwap", "magnseio", {"magnesium"}, {}, {}},
        QueryCase{"FormSpanish", "citrato de magnesio", {"magnesium"}, {}, {}},
        QueryCase{"FormEnglish", "magnesium glycinate", {"magnesium"}, {}, {}},
        QueryCase{"AccentedVitamin", "Vitamina D3", {"vitamin_d"}, {}, {}},
        QueryCase{"JoinedWords", "omega3", {"omega_3"}, {}, {}},
        QueryCase{"HyphenatedName", "omega-3", {"omega_3"}, {}, {}},
        QueryCase{"B12Short", "b12", {"vitamin_b12"}, {}, {}},
        QueryCase{"AccentsDropped", "acido folico", {"folate"}, {}, {}},
        QueryCase{"AccentsKept", "Ácido fólico", {"folate"}, {}, {}},
        QueryCase{"EnglishHerb", "St. John's wort", {"st_johns_wort"}, {}, {}},
        QueryCase{"SpanishHerb", "hipérico", {"st_johns_wort"}, {}, {}},
        QueryCase{"TypoHerb", "ashwagadha", {"ashwagandha"}, {}, {}},
        QueryCase{"TypoLongWord", "melatonnina", {"melatonin"}, {}, {}},
        QueryCase{"TwoSupplements", "hierro y vitamina C", {"iron", "vitamin_c"}, {}, {}},
        // Goals.
        QueryCase{"GoalPhraseSpanish", "dormir mejor", {}, {"sleep"}, {}},
        QueryCase{"GoalPhraseEnglish", "trouble sleeping", {}, {"sleep"}, {}},
        QueryCase{"GoalTiredness", "cansancio", {}, {"energy"}, {}},
        QueryCase{"GoalBones", "huesos fuertes", {}, {"bone_health"}, {}},
        QueryCase{"GoalAnxiety", "ansiedad", {}, {"stress_anxiety"}, {}},
        QueryCase{"GoalTypo", "ansiedda", {}, {"stress_anxiety"}, {}},
        QueryCase{"GoalInSentence", "quiero algo para dormir mejor", {}, {"sleep"}, {}},
        QueryCase{"SupplementForGoal", "magnesio para dormir", {"magnesium"}, {"sleep"}, {}},
        QueryCase{"ConditionImpliesGoal",
                  "hipertensión",
                  {},
                  {"blood_pressure"},
                  {},
                  {"high_blood_pressure"}},
        // Drugs in both languages.
        QueryCase{"DrugSpanish", "warfarina", {}, {}, {"warfarin"}},
        QueryCase{"DrugEnglish", "warfarin", {}, {}, {"warfarin"}},
        QueryCase{"DrugBrand", "Sintrom", {}, {}, {"acenocoumarol"}},
        QueryCase{
            "SupplementAndDrug", "magnesio con levotiroxina", {"magnesium"}, {}, {"levothyroxine"}},
        QueryCase{
            "DrugEnglishWithSupplement", "levothyroxine and iron", {"iron"}, {}, {"levothyroxine"}},
        QueryCase{"DrugClass", "antidepresivos", {}, {}, {"serotonergic"}},
        QueryCase{"Pregnancy", "embarazada", {}, {}, {}, {"pregnancy"}},
        // Nothing, or hostile text that must stay text.
        QueryCase{"Gibberish", "xqzwv", {}, {}, {}},
        QueryCase{"Markup", "<script>alert('magnesio')</script>", {"magnesium"}, {}, {}},
        QueryCase{"Sql", "'; DROP TABLE jobs; --", {}, {}, {}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::recommend

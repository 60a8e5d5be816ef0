// The drug-class hierarchy is a rule of the knowledge base: a named drug meets every rule written
// for its classes and their parents; a named class meets the rules of its parents for sure and
// those of its members and subclasses possibly (at least "ask_doctor", never silence); in a
// class with a class effect, a rule for one member holds for all.
#include <gtest/gtest.h>

#include <algorithm>

#include "RuleExpectations.h"
#include "TestSupport.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/KnowledgeBaseLoader.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;
using support::AnyContains;
using support::Kb;
using support::RunRequest;
using support::Strings;

struct ClassCase {
  std::string name;
  std::string locale;
  std::string query;                     // names the supplement
  std::vector<std::string> medications;  // quiz answers
  std::string supplement;
  std::string action;     // strictest action expected for the supplement: "avoid" = excluded
  std::string mentions;   // text the warning (or exclusion reason) must contain
  bool possible = false;  // the rule is met only possibly, through a broad class
};
void PrintTo(const ClassCase& c, std::ostream* os) { *os << c.name; }

json::object RunCase(const ClassCase& c) {
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  QuizAnswers a;
  a.age = 45;
  a.sex = "male";
  a.medications = c.medications;
  request.answers = a;
  return RunRequest(request);
}

// The strictest interaction action of an item ("" when it has none).
std::string StrictestInteraction(const json::object& item, bool& possible) {
  static const std::vector<std::string> kOrder = {"monitor", "separate", "ask_doctor", "avoid"};
  std::string best;
  possible = false;
  for (const json::value& v : item.at("interactions").as_array()) {
    const std::string action(v.at("action").as_string());
    if (best.empty() || std::find(kOrder.begin(), kOrder.end(), action) >
                            std::find(kOrder.begin(), kOrder.end(), best)) {
      best = action;
      possible = v.as_object().contains("possible");
    }
  }
  return best;
}

class DrugClassRulesTest : public ::testing::TestWithParam<ClassCase> {};

TEST_P(DrugClassRulesTest, AppliesTheRuleOfEveryRelatedClass) {
  const ClassCase& c = GetParam();
  const json::object out = RunCase(c);
  const json::object* item = support::ExpectRuleApplied(out, c.supplement, c.action, c.mentions);
  if (item == nullptr) return;
  bool possible = false;
  EXPECT_EQ(StrictestInteraction(*item, possible), c.action);
  EXPECT_EQ(possible, c.possible);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DrugClassRulesTest,
    ::testing::Values(
        // A class named: the rules of its parents hold for sure (SSRI ⊂ serotonergic).
        ClassCase{"SsriNamedMeetsSerotonergicRuleEs",
                  "es",
                  "hipérico",
                  {"ISRS"},
                  "st_johns_wort",
                  "avoid",
                  "antidepresivos ISRS"},
        ClassCase{"SsriNamedMeetsSerotonergicRuleEn",
                  "en",
                  "5-htp",
                  {"SSRIs"},
                  "five_htp",
                  "avoid",
                  "SSRI antidepressants"},
        // A drug named: the rules of its classes' parents hold too.
        ClassCase{"SertralineMeetsSerotonergicRuleEs",
                  "es",
                  "rhodiola",
                  {"Besitran"},
                  "rhodiola",
                  "ask_doctor",
                  "sertralina"},
        ClassCase{"FluvoxamineMeetsSerotonergicRuleEn",
                  "en",
                  "saffron",
                  {"fluvoxamine"},
                  "saffron",
                  "ask_doctor",
                  "fluvoxamine"},
        // Class effect: a rule written for warfarin holds for every vitamin-K antagonist.
        ClassCase{"AcenocoumarolMeetsWarfarinRuleEs",
                  "es",
                  "arándano rojo",
                  {"Sintrom"},
                  "cranberry",
                  "ask_doctor",
                  "acenocumarol"},
        ClassCase{"AcenocoumarolMeetsWarfarinRuleEn",
                  "en",
                  "coenzyme q10",
                  {"acenocoumarol"},
                  "coq10",
                  "ask_doctor",
                  "acenocoumarol"},
        ClassCase{"VkaClassNamedMeetsWarfarinRuleEs",
                  "es",
                  "vitamina k",
                  {"antivitamina K"},
                  "vitamin_k",
                  "avoid",
                  "antivitamina K"},
        // Thyroid hormone ⊃ levothyroxine, with its separation kept (a class effect).
        ClassCase{"ThyroidHormoneMeetsLevothyroxineRuleEs",
                  "es",
                  "hierro",
                  {"hormona tiroidea"},
                  "iron",
                  "separate",
                  "hormona tiroidea"},
        ClassCase{"ThyroidHormoneMeetsLevothyroxineRuleEn",
                  "en",
                  "calcium",
                  {"thyroid medication"},
                  "calcium",
                  "separate",
                  "thyroid hormone"},
        // Broad classes: a member's rule is only possible, and at least "ask your doctor".
        ClassCase{"BloodPressurePillsMayBeAceInhibitorsEs",
                  "es",
                  "potasio",
                  {"pastillas para la tensión"},
                  "potassium",
                  "avoid",
                  "por si incluyen IECA"},
        ClassCase{"BloodPressurePillsMayBeAceInhibitorsEn",
                  "en",
                  "potassium",
                  {"blood pressure pills"},
                  "potassium",
                  "avoid",
                  "in case they include ACE"},
        ClassCase{"AntibioticsMayBeQuinolonesEs",
                  "es",
                  "calcio",
                  {"antibióticos"},
                  "calcium",
                  "ask_doctor",
                  "por si incluyen",
                  true},
        ClassCase{"AntibioticsMayBeTetracyclinesEn",
                  "en",
                  "zinc",
                  {"antibiotics"},
                  "zinc",
                  "ask_doctor",
                  "in case they include",
                  true},
        ClassCase{"DiureticsMayBePotassiumSparingEs",
                  "es",
                  "magnesio",
                  {"diuréticos"},
                  "magnesium",
                  "ask_doctor",
                  "diuréticos ahorradores de potasio",
                  true},
        ClassCase{"AntidepressantsMayBeFluvoxamineEn",
                  "en",
                  "melatonin",
                  {"antidepressants"},
                  "melatonin",
                  "avoid",
                  "in case they include fluvoxamine"},
        // Anticoagulants ⊃ VKAs, DOACs and heparin.
        ClassCase{"AnticoagulantsMayBeVkaEs",
                  "es",
                  "vitamina k",
                  {"anticoagulantes"},
                  "vitamin_k",
                  "avoid",
                  "anticoagulantes"},
        ClassCase{"DoacMeetsAnticoagulantRuleEn",
                  "en",
                  "ginkgo",
                  {"Eliquis"},
                  "ginkgo",
                  "avoid",
                  "apixaban"},
        ClassCase{"HeparinMeetsAnticoagulantRuleEs",
                  "es",
                  "omega 3",
                  {"Clexane"},
                  "omega_3",
                  "ask_doctor",
                  "heparina"}));

struct SummaryCase {
  std::string name;
  std::string locale;
  std::string query;  // names only a medicine or a class
  std::vector<std::string> mentions;
};
void PrintTo(const SummaryCase& c, std::ostream* os) { *os << c.name; }

class ClassSummaryTest : public ::testing::TestWithParam<SummaryCase> {};

TEST_P(ClassSummaryTest, ListsTheInteractionsOfANamedClass) {
  RecommendRequest request;
  request.query = GetParam().query;
  request.locale = GetParam().locale;
  // Compared folded: how a supplement's name is cased inside a sentence is not the point here.
  std::vector<std::string> warnings;
  for (const std::string& w : Strings(RunRequest(request), "warnings"))
    warnings.push_back(FoldText(w));
  for (const std::string& m : GetParam().mentions)
    EXPECT_TRUE(AnyContains(warnings, FoldText(m)))
        << m << " in the warnings of " << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ClassSummaryTest,
    ::testing::Values(
        SummaryCase{"AnticoagulantsEs",
                    "es",
                    "anticoagulantes",
                    {"Si tomas anticoagulantes", "Ginkgo", "Vitamina K"}},
        SummaryCase{"BloodThinnersEn",
                    "en",
                    "blood thinners",
                    {"If you take anticoagulants", "Ginkgo", "Vitamin K"}},
        SummaryCase{"BloodPressurePillsEs",
                    "es",
                    "pastillas para la tensión",
                    {"Si tomas antihipertensivos", "Potasio"}},
        SummaryCase{"SsriEn", "en", "SSRI", {"If you take SSRI antidepressants", "5-HTP"}},
        SummaryCase{"AntiInflammatoriesEs",
                    "es",
                    "antiinflamatorios",
                    {"Si tomas antiinflamatorios (AINE)", "Ginkgo", "Potasio"}},
        SummaryCase{"DiureticsEn", "en", "diuretics", {"If you take diuretics", "Potassium"}}));

// The hierarchy is checked at load: parents resolve and never loop.
const char* kGoals = R"({"goals": [{"id": "sleep", "name": {"es": "dormir", "en": "sleep"}}]})";
const char* kSupplement = R"({"supplements": [{"id": "magnesium", "category": "mineral",
    "name": {"es": "Magnesio", "en": "Magnesium"},
    "forms": [{"id": "citrate", "name": {"es": "Citrato", "en": "Citrate"},
               "notes": {"es": "n", "en": "n"}}],
    "dose": {"amount": 200, "unit": "mg", "frequency": "once_daily"},
    "timing": {"es": "t", "en": "t"},
    "evidence": [{"goal": "sleep", "grade": "C", "summary": {"es": "s", "en": "s"}}],
    "sources": [{"title": "ODS", "url": "https://ods.od.nih.gov/"}]}]})";

core::Result<std::shared_ptr<const KnowledgeBase>> LoadClasses(const std::string& classes) {
  const std::string drugs = "{\"drug_classes\": [" + classes + "]}";
  return LoadKnowledgeBaseFiles(
      {{"supplements/m.json", kSupplement}, {"goals.json", kGoals}, {"drugs.json", drugs}});
}

TEST(DrugClassHierarchyLoadTest, RejectsAParentThatIsNotAClass) {
  auto kb = LoadClasses(R"({"id": "ssri", "name": {"es": "isrs", "en": "ssri"},
                            "parents": ["serotonergic"]})");
  ASSERT_FALSE(kb);
  EXPECT_NE(kb.error().message.find("drug_classes[0].parents[0]"), std::string::npos)
      << kb.error().message;
}

TEST(DrugClassHierarchyLoadTest, RejectsACycle) {
  auto kb = LoadClasses(R"({"id": "a", "name": {"es": "a", "en": "a"}, "parents": ["b"]},
                           {"id": "b", "name": {"es": "b", "en": "b"}, "parents": ["a"]})");
  ASSERT_FALSE(kb);
  EXPECT_NE(kb.error().message.find("is its own ancestor"), std::string::npos)
      << kb.error().message;
}

TEST(DrugClassHierarchyLoadTest, ClosesAChainOfParents) {
  auto kb = LoadClasses(R"({"id": "a", "name": {"es": "a", "en": "a"}, "parents": ["b"]},
                           {"id": "b", "name": {"es": "b", "en": "b"}, "parents": ["c"]},
                           {"id": "c", "name": {"es": "c", "en": "c"}})");
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ((*kb)->SelfAndAncestors(0), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ((*kb)->Descendants(2), (std::vector<std::uint32_t>{0, 1}));
}

}  // namespace
}  // namespace vitarec::recommend

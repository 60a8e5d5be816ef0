// A medicine the knowledge base does not know is named back, from the quiz answers and from the
// free text, and the warning is stronger when an item of the result has severe interactions
// (an "avoid" rule with some medicine: St John's wort, ginkgo, potassium, vitamin K, 5-HTP, red
// yeast rice).
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "recommend/MedicineWords.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct UnknownCase {
  std::string name;
  std::string locale;
  std::string query;
  std::vector<std::string> medications;  // quiz answers; none = no quiz
  std::string supplement;                // an item of the result
  std::string named;                     // the unknown medicine, as named back
  bool severe;                           // the item has severe interactions: named in the warning
};
void PrintTo(const UnknownCase& c, std::ostream* os) { *os << c.name; }

class UnknownMedicineTest : public ::testing::TestWithParam<UnknownCase> {};

TEST_P(UnknownMedicineTest, NamesTheMedicineBack) {
  const UnknownCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  if (!c.medications.empty()) {
    QuizAnswers a;
    a.medications = c.medications;
    request.answers = a;
  }
  const auto out = RunRequest(request);
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  const std::string name(item->at("supplement").at("name").as_string());
  const auto warnings = Strings(out, "warnings");
  ASSERT_TRUE(AnyContains(warnings, c.named)) << c.named;
  const std::string quoted = c.locale == "en" ? "\"" + c.named + "\"" : "«" + c.named + "»";
  for (const std::string& w : warnings) {
    if (w.find(quoted) == std::string::npos) continue;
    // Stronger for an item with severe interactions: the general warning names it.
    EXPECT_EQ(w.find(name) != std::string::npos, c.severe) << w;
  }
  // ...and the item itself is flagged.
  EXPECT_EQ(AnyContains(Strings(*item, "warnings"), quoted), c.severe);
}

INSTANTIATE_TEST_SUITE_P(
    Table, UnknownMedicineTest,
    ::testing::Values(
        UnknownCase{"QuizAnswerWithStJohnsWortEs",
                    "es",
                    "hipérico",
                    {"Zyloric"},
                    "st_johns_wort",
                    "Zyloric",
                    true},
        UnknownCase{"QuizAnswerWithPotassiumEn",
                    "en",
                    "potassium",
                    {"Zyloric"},
                    "potassium",
                    "Zyloric",
                    true},
        UnknownCase{"QuizAnswerWithAMildItemEs",
                    "es",
                    "magnesio",
                    {"Zyloric"},
                    "magnesium",
                    "Zyloric",
                    false},
        UnknownCase{"PartOfAQuizAnswerEs",
                    "es",
                    "potasio",
                    {"Sintrom 4 mg y Pentasa"},
                    "potassium",
                    "pentasa",
                    true},
        UnknownCase{"PartOfAQuizAnswerEn",
                    "en",
                    "ginkgo",
                    {"omeprazole 20 mg daily, Pentasa"},
                    "ginkgo",
                    "pentasa",
                    true},
        UnknownCase{"FreeTextAndQuizTogetherEs",
                    "es",
                    "ginkgo, tomo zyloric",
                    {"omeprazol"},
                    "ginkgo",
                    "zyloric",
                    true},
        UnknownCase{
            "FreeTextAfterTomoEs", "es", "ginkgo, tomo zyloric", {}, "ginkgo", "zyloric", true},
        UnknownCase{"FreeTextListAfterTomoEs",
                    "es",
                    "ginkgo, tomo el omeprazol y pentasa",
                    {},
                    "ginkgo",
                    "pentasa",
                    true},
        UnknownCase{"FreeTextAfterTakingEn",
                    "en",
                    "5-htp, I am taking zyloric",
                    {},
                    "five_htp",
                    "zyloric",
                    true},
        UnknownCase{"FreeTextInnEndingEs",
                    "es",
                    "levadura roja de arroz y montelukast",
                    {},
                    "red_yeast_rice",
                    "montelukast",
                    true},
        UnknownCase{"FreeTextInnEndingEn",
                    "en",
                    "vitamin c with valaciclovir",
                    {},
                    "vitamin_c",
                    "valaciclovir",
                    false}));

struct WordsCase {
  std::string name;
  std::string query;
  std::vector<std::string> unknown;   // what the matcher left unknown
  std::vector<std::string> expected;  // the ones that look like medicines
};
void PrintTo(const WordsCase& c, std::ostream* os) { *os << c.name; }

class MedicineWordsTest : public ::testing::TestWithParam<WordsCase> {};

TEST_P(MedicineWordsTest, PicksOnlyWordsThatLookLikeMedicines) {
  EXPECT_EQ(MedicineLikeWords(GetParam().query, GetParam().unknown), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MedicineWordsTest,
    ::testing::Values(
        WordsCase{"DrinksAfterTomoAreNotMedicinesEs", "tomo cafe y leche", {"cafe", "leche"}, {}},
        WordsCase{"DrinksAfterTakeAreNotMedicinesEn", "i take tea", {"tea"}, {}},
        WordsCase{"QuantityWordsAfterTomaAreSkippedEs",
                  "toma muchas pastillas y xelvix",
                  {"muchas", "xelvix"},
                  {"xelvix"}},
        WordsCase{"VagueWordsAfterTakeAreNotMedicinesEn",
                  "take something for my joints",
                  {"something", "joints"},
                  {}},
        WordsCase{"PlainWordsAreNotMedicinesEs", "me siento cansada", {"siento", "cansada"}, {}},
        WordsCase{"CommonWordsWithDrugLikeEndingsEs",
                  "colesterol de una persona",
                  {"colesterol", "persona"},
                  {}},
        WordsCase{"OnlyTheWordRightAfterACueCountsEn", "my pills are xelvix", {"xelvix"}, {}},
        WordsCase{"MedicationCueEs", "medicación: xelvix", {"xelvix"}, {"xelvix"}},
        WordsCase{"InnStemsEs",
                  "tamsulosina y omalizumab",
                  {"tamsulosina", "omalizumab"},
                  {"tamsulosina", "omalizumab"}},
        WordsCase{"InnStemsEn",
                  "tamsulosin and sacubitril",
                  {"tamsulosin", "sacubitril"},
                  {"tamsulosin"}}));

}  // namespace
}  // namespace vitarec::recommend

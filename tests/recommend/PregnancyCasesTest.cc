// Pregnancy and lactation imply a woman of child-bearing age: with no sex or age given, the
// figures are those of women 14 to 50 in that stage, not the smallest over every adult.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct StageCase {
  std::string name;
  std::string query;
  std::string locale;
  bool pregnant_in_quiz;
  bool lactating_in_quiz;
  std::string supplement;
  int amount;
  std::string reference;  // text of the reference-intake reason, empty to skip
};
void PrintTo(const StageCase& c, std::ostream* os) { *os << c.name; }

class PregnancyCasesTest : public ::testing::TestWithParam<StageCase> {};

TEST_P(PregnancyCasesTest, ReadsAWomanOfChildBearingAge) {
  const StageCase& c = GetParam();
  std::optional<QuizAnswers> answers;  // no age, no sex
  if (c.pregnant_in_quiz || c.lactating_in_quiz)
    answers = support::Answers(std::nullopt, "", c.pregnant_in_quiz, c.lactating_in_quiz);
  const auto out = RunRequest(support::MakeRequest(c.query, c.locale, answers));
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("dose").at("amount").as_int64(), c.amount);
  if (!c.reference.empty()) {
    EXPECT_TRUE(AnyContains(Strings(*item, "reasons"), c.reference));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, PregnancyCasesTest,
    ::testing::Values(
        StageCase{"IronPregnantQuiz", "hierro", "es", true, false, "iron", 27, "27 mg"},
        StageCase{"IronPregnantQuizEnglish", "iron", "en", true, false, "iron", 27, "27 mg"},
        StageCase{"IronPregnantFreeText", "hierro, estoy embarazada", "es", false, false, "iron",
                  27, "27 mg"},
        StageCase{"IronPregnantFreeTextEnglish", "iron while pregnant", "en", false, false, "iron",
                  27, "27 mg"},
        StageCase{"FolateReferenceInPregnancy", "ácido fólico embarazada", "es", false, false,
                  "folate", 400, "600 mcg"},
        StageCase{"FolateReferenceInLactation", "folic acid", "en", false, true, "folate", 400,
                  "500 mcg"},
        StageCase{"VitaminCLactationTeenToAdult", "vitamina c", "es", false, true, "vitamin_c", 250,
                  "115–120 mg"},
        StageCase{"ZincPregnancyTeenToAdult", "zinc", "en", true, false, "zinc", 10, "11–12 mg"}),
    [](const auto& info) { return info.param.name; });

TEST(PregnancyStageTest, AMaleAnswerWinsOverThePregnancyFlag) {
  const auto out =
      RunRequest(support::MakeRequest("hierro", "es", support::Answers(30, "male", true)));
  const auto* item = FindItem(out, "iron");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("dose").at("amount").as_int64(), 8);
}

}  // namespace
}  // namespace vitarec::recommend

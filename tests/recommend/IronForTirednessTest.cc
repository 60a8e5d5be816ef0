// Iron is not offered for tiredness to people the evidence is not about (men, women past the
// menopause) unless they name it, and then only with "after a blood test"; iron for anaemia says
// that treatment needs a diagnosis and a doctor's dose.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct IronCase {
  std::string name;
  std::string query;
  std::string locale;
  std::optional<int> age;
  std::string sex;
  bool offered;
  std::string mentions;  // in the iron item's warnings, when offered
};
void PrintTo(const IronCase& c, std::ostream* os) { *os << c.name; }

class IronForTirednessTest : public ::testing::TestWithParam<IronCase> {};

TEST_P(IronForTirednessTest, OffersIronOnlyWhereTheEvidenceApplies) {
  const IronCase& c = GetParam();
  RecommendRequest request;
  request.query = c.query;
  request.locale = c.locale;
  request.answers = QuizAnswers{};
  request.answers->age = c.age;
  request.answers->sex = c.sex;
  const auto out = RunRequest(request);
  const auto* item = FindItem(out, "iron");
  if (!c.offered) {
    EXPECT_EQ(item, nullptr);
    return;
  }
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), c.mentions)) << c.mentions;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IronForTirednessTest,
    ::testing::Values(
        IronCase{"ManTired", "cansancio", "es", 40, "male", false, ""},
        IronCase{"ManTiredEnglish", "tiredness", "en", 40, "male", false, ""},
        IronCase{"PostMenopausalWomanTired", "cansancio", "es", 60, "female", false, ""},
        IronCase{"PostMenopausalWomanTiredEnglish", "fatigue", "en", 62, "female", false, ""},
        IronCase{"ManNamesIronForTiredness", "hierro para el cansancio", "es", 40, "male", true,
                 "análisis de sangre"},
        IronCase{"ManNamesIronForTirednessEnglish", "iron for tiredness", "en", 40, "male", true,
                 "blood test"},
        IronCase{"YoungWomanTired", "cansancio", "es", 30, "female", true, "análisis de sangre"},
        IronCase{"UnknownSexTiredEnglish", "tiredness", "en", std::nullopt, "", true, "blood test"},
        IronCase{"AnaemiaNeedsADiagnosis", "hierro para la anemia", "es", 40, "male", true,
                 "diagnóstico"},
        IronCase{"AnaemiaNeedsADiagnosisEnglish", "anaemia", "en", 30, "female", true,
                 "diagnosis"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::recommend

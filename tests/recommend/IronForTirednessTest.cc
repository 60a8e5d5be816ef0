// Iron is not offered for tiredness to people the evidence is not about (men, women past the
// menopause) unless they name it, and then only with "after a blood test"; iron for anaemia says
// that treatment needs a diagnosis and a doctor's dose.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::FindItem;
using support::RunRequest;

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
  const auto out =
      RunRequest(support::MakeRequest(c.query, c.locale, support::Answers(c.age, c.sex)));
  if (c.offered) {
    EXPECT_TRUE(support::ItemWarns(out, "iron", c.mentions));
  } else {
    EXPECT_EQ(FindItem(out, "iron"), nullptr);
  }
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
        // Who the person is, said in the query.
        IronCase{"ManSaysItInTheQuery", "soy hombre y estoy cansado", "es", std::nullopt, "", false,
                 ""},
        IronCase{"ManSaysItInTheQueryEnglish", "tiredness, I am a man", "en", std::nullopt, "",
                 false, ""},
        IronCase{"MotherOfSeventy", "cansancio, para mi madre de 70 años", "es", std::nullopt, "",
                 false, ""},
        IronCase{"WomanOfThirtySaysItInTheQuery", "cansancio, soy mujer de 30 años", "es",
                 std::nullopt, "", true, "análisis de sangre"},
        IronCase{"AnaemiaNeedsADiagnosis", "hierro para la anemia", "es", 40, "male", true,
                 "diagnóstico"},
        IronCase{"AnaemiaNeedsADiagnosisEnglish", "anaemia", "en", 30, "female", true,
                 "diagnosis"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::recommend

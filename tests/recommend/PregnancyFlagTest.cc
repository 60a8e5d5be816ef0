// Everything that is not a vitamin or a mineral (botanicals, amino acids, fatty acids, others)
// is flagged in pregnancy and lactation when the knowledge base has no rule of its own for that
// stage: absence of data is not evidence of safety.
#include <gtest/gtest.h>

#include "TestSupport.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct FlagCase {
  std::string name;
  std::string query;
  std::string locale;
  bool pregnant;  // else lactating
  std::string supplement;
  std::string mentions;
};
void PrintTo(const FlagCase& c, std::ostream* os) { *os << c.name; }

class PregnancyFlagTest : public ::testing::TestWithParam<FlagCase> {};

TEST_P(PregnancyFlagTest, FlagsWhatHasNoSafetyData) {
  const FlagCase& c = GetParam();
  const auto out = RunRequest(support::MakeRequest(
      c.query, c.locale, support::Answers(30, "female", c.pregnant, !c.pregnant)));
  EXPECT_TRUE(support::ItemWarns(out, c.supplement, c.mentions));
}

INSTANTIATE_TEST_SUITE_P(
    Table, PregnancyFlagTest,
    ::testing::Values(FlagCase{"AminoAcidCreatine", "creatina", "es", true, "creatine",
                               "no se ha establecido su seguridad"},
                      FlagCase{"AminoAcidGlycineEnglish", "glycine", "en", true, "glycine",
                               "has not been established"},
                      FlagCase{"AminoAcidTheanineLactation", "l-teanina", "es", false, "l_theanine",
                               "Lactancia"},
                      FlagCase{"FattyAcidFlaxseed", "linaza", "es", true, "flaxseed",
                               "no se ha establecido su seguridad"},
                      FlagCase{"FattyAcidFlaxseedEnglishLactation", "flaxseed", "en", false,
                               "flaxseed", "has not been established"},
                      FlagCase{"EveningPrimroseOilExplicitRule", "aceite de onagra", "es", true,
                               "evening_primrose_oil", "complicaciones"},
                      FlagCase{"EveningPrimroseOilExplicitRuleEnglish", "evening primrose oil",
                               "en", true, "evening_primrose_oil", "complications"},
                      FlagCase{"OmegaThreeHasItsOwnRule", "omega 3", "es", true, "omega_3",
                               "no de hígado de bacalao"}),
    [](const auto& info) { return info.param.name; });

// The rule over the whole knowledge base: in pregnancy, every non-vitamin, non-mineral item that
// is offered carries at least one warning about pregnancy.
TEST(PregnancyFlagRuleTest, EveryNonNutrientOfferedInPregnancyIsFlagged) {
  const KnowledgeBase& kb = *support::Kb();
  for (const Supplement& s : kb.supplements()) {
    if (s.category == "vitamin" || s.category == "mineral") continue;
    const auto out =
        RunRequest(support::MakeRequest(s.name.es, "es", support::Answers(std::nullopt, "", true)));
    const auto* item = FindItem(out, s.id);
    if (item == nullptr) continue;  // excluded: avoided in pregnancy
    EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), "Embarazo")) << s.id;
  }
}

}  // namespace
}  // namespace vitarec::recommend

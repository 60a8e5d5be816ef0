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
        NegationCase{"magnesio sin cafeína", "es", "caffeine", {"magnesium"}, {}},
        // A negated medicine or condition is not taken or had.
        NegationCase{"no tomo warfarina, quiero ginkgo", "es", "", {"ginkgo"}, {}, {}},
        NegationCase{"not pregnant, iron", "en", "", {"iron"}, {}, {}, {}},
        NegationCase{"no estoy embarazada y quiero hierro", "es", "", {"iron"}, {}, {}, {}},
        // Goals are never negated, and end the negation's reach.
        NegationCase{"no puedo dormir", "es", "", {}, {"sleep"}},
        NegationCase{"no duermo bien, quiero magnesio", "es", "", {"magnesium"}, {"sleep"}},
        NegationCase{"no energy at all, caffeine?", "en", "", {"caffeine"}, {"energy"}}));

TEST(NegationRuleTest, ANegatedSupplementIsListedAsLeftOut) {
  const auto out = RunQuery("dormir mejor sin melatonina");
  bool listed = false;
  for (const auto& e : out.at("excluded").as_array())
    listed |= e.at("supplement").at("id").as_string() == "melatonin";
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace vitarec::recommend

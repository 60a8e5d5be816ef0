// The items of one recommendation add up: what a multivitamin, a prenatal or cod liver oil carries
// is counted with the single nutrients beside it, and every nutrient's total stays within the
// person's upper limit (or the result says that the products must not be combined).
#include <gtest/gtest.h>

#include <map>

#include "TestSupport.h"
#include "recommend/Person.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::Kb;
using support::RunRequest;
using support::Strings;

RecommendRequest Request(std::string query, std::string locale, bool pregnant) {
  RecommendRequest request;
  request.query = std::move(query);
  request.locale = std::move(locale);
  request.answers = QuizAnswers{};
  request.answers->age = 30;
  request.answers->sex = "female";
  request.answers->pregnant = pregnant;
  return request;
}

// Every nutrient's total a day over the shown items, from their doses and the products' contents.
std::map<std::string, int> Totals(const boost::json::object& out, const std::string& locale) {
  const KnowledgeBase& kb = *Kb();
  std::map<std::string, int> totals;
  for (const auto& v : out.at("items").as_array()) {
    const auto& item = v.as_object();
    const Supplement* s = kb.FindSupplement(item.at("supplement").at("id").as_string());
    const int amount = static_cast<int>(item.at("dose").at("amount").as_int64());
    totals[s->id] += amount * IntakesPerDay(s->dose.frequency);
    for (const Form& form : s->forms) {
      if (form.name.In(locale) != item.at("form").as_string()) continue;
      // Contents are given per typical intake of the product.
      const int typical = form.dose ? form.dose->amount : s->dose.amount;
      for (const Content& c : form.contains)
        totals[c.supplement] += c.amount * amount / typical * IntakesPerDay(s->dose.frequency);
    }
  }
  return totals;
}

struct SumCase {
  std::string name;
  std::string query;
  std::string locale;
  bool pregnant;
  std::string nutrient;  // the single nutrient beside the product
  std::string mentions;  // on that nutrient's item, or in the warnings when it is left out
  bool single_left_out = false;
};
void PrintTo(const SumCase& c, std::ostream* os) { *os << c.name; }

class ItemsAddUpTest : public ::testing::TestWithParam<SumCase> {};

TEST_P(ItemsAddUpTest, TheSumStaysWithinEachUpperLimitAndIsShown) {
  const SumCase& c = GetParam();
  RecommendRequest request = Request(c.query, c.locale, c.pregnant);
  const auto out = RunRequest(request);
  Understanding u = Understand(*Kb(), request);
  for (const auto& [nutrient, total] : Totals(out, c.locale)) {
    const Supplement* s = Kb()->FindSupplement(nutrient);
    if (const auto ul = UpperLimitFor(*s, u.person)) {
      EXPECT_LE(total, *ul) << nutrient;
    }
  }
  const auto* item = FindItem(out, c.nutrient);
  if (c.single_left_out) {
    EXPECT_EQ(item, nullptr);
    EXPECT_TRUE(AnyContains(Strings(out, "warnings"), c.mentions));
    return;
  }
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), c.mentions)) << c.mentions;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ItemsAddUpTest,
    ::testing::Values(SumCase{"MultivitaminAndIron", "multivitamínico y hierro", "es", false,
                              "iron", "ya aporta 14 mg de hierro"},
                      SumCase{"MultivitaminAndIronEnglish", "multivitamin and iron", "en", false,
                              "iron", "already provides 14 mg of Iron"},
                      SumCase{"PrenatalAndIronInPregnancyLowersTheIron",
                              "vitaminas prenatales y hierro", "es", true, "iron",
                              "dentro de tu límite superior de"},
                      SumCase{"PrenatalAndFolicAcidEnglish", "prenatal multivitamin and folic acid",
                              "en", true, "folate", "within your upper limit"},
                      SumCase{"MultivitaminAndVitaminA", "multivitamínico y vitamina A", "es",
                              false, "vitamin_a", "de vitamina A"},
                      SumCase{"CodLiverOilAndVitaminD", "aceite de hígado de bacalao y vitamina D",
                              "es", false, "vitamin_d", "ya aporta 11 mcg de vitamina D"},
                      SumCase{"CodLiverOilAndVitaminAEnglish", "cod liver oil and vitamin A", "en",
                              false, "vitamin_a", "already provides 1350 mcg"}),
    [](const auto& info) { return info.param.name; });

struct CarryCase {
  std::string name;
  std::string query;
  std::string locale;
  bool pregnant;
  std::string mentions;  // on the omega-3 (cod liver oil) item
};
void PrintTo(const CarryCase& c, std::ostream* os) { *os << c.name; }

class CodLiverOilTest : public ::testing::TestWithParam<CarryCase> {};

TEST_P(CodLiverOilTest, CountsItsVitaminAAndWarnsInPregnancy) {
  const CarryCase& c = GetParam();
  const auto out = RunRequest(Request(c.query, c.locale, c.pregnant));
  const auto* item = FindItem(out, "omega_3");
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), c.mentions)) << c.mentions;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CodLiverOilTest,
    ::testing::Values(CarryCase{"CountsVitaminA", "aceite de hígado de bacalao", "es", false,
                                "1350 mcg de vitamina A"},
                      CarryCase{"CountsVitaminAEnglish", "cod liver oil", "en", false,
                                "1350 mcg of Vitamin A"},
                      CarryCase{"WarnsInPregnancy", "aceite de hígado de bacalao", "es", true,
                                "vitamina A preformada puede causar malformaciones"},
                      CarryCase{"WarnsInPregnancyEnglish", "cod liver oil", "en", true,
                                "preformed vitamin A can cause birth defects"}),
    [](const auto& info) { return info.param.name; });

TEST(ItemsAddUpRuleTest, PlainFishOilCarriesNoVitaminA) {
  const auto out = RunRequest(Request("aceite de pescado", "es", true));
  const auto* item = FindItem(out, "omega_3");
  ASSERT_NE(item, nullptr);
  EXPECT_FALSE(AnyContains(Strings(*item, "warnings"), "vitamina A preformada"));
}

}  // namespace
}  // namespace vitarec::recommend

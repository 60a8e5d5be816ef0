// Forms are reachable by their own names, and each form has its own dose and upper limit where
// the knowledge base gives them (beta-carotene has no upper limit; nicotinic acid has the EFSA
// one).
#include <gtest/gtest.h>

#include <optional>

#include "TestSupport.h"
#include "recommend/Person.h"

namespace vitarec::recommend {
namespace {

using support::FindItem;
using support::RunQuery;

struct FormCase {
  std::string query;
  std::string locale;
  std::string supplement;
  std::string form;                // expected in matched.forms; empty: none named
  std::string form_name;           // the item's form as shown
  std::optional<int> amount;       // the adult dose
  std::optional<int> upper_limit;  // the form's own limit; nullopt: the item must show none
  bool supplement_limit = false;   // the supplement's limit applies (checked against the table)
};
void PrintTo(const FormCase& c, std::ostream* os) { *os << c.query; }

class FormSelectionTest : public ::testing::TestWithParam<FormCase> {};

TEST_P(FormSelectionTest, TheFormNamedIsTheFormGiven) {
  const FormCase& c = GetParam();
  const auto out = RunQuery(c.query, c.locale);
  const auto& forms = out.at("matched").at("forms").as_array();
  if (c.form.empty()) {
    EXPECT_TRUE(forms.empty());
  } else {
    ASSERT_EQ(forms.size(), 1u);
    EXPECT_EQ(forms[0].at("supplement").as_string(), c.supplement);
    EXPECT_EQ(forms[0].at("form").as_string(), c.form);
  }
  const auto* item = FindItem(out, c.supplement);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("form").as_string(), c.form_name);
  const auto& dose = item->at("dose").as_object();
  if (c.amount) {
    EXPECT_EQ(dose.at("amount").as_int64(), *c.amount);
  }
  if (c.supplement_limit) {
    const Supplement& s = *support::Kb()->FindSupplement(c.supplement);
    ASSERT_TRUE(UpperLimitFor(s, Person{}).has_value());
    EXPECT_EQ(dose.at("upper_limit").as_int64(), *UpperLimitFor(s, Person{}));
  } else if (c.upper_limit) {
    EXPECT_EQ(dose.at("upper_limit").as_int64(), *c.upper_limit);
  } else {
    EXPECT_FALSE(dose.contains("upper_limit"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormSelectionTest,
    ::testing::Values(
        FormCase{"betacaroteno", "es", "vitamin_a", "beta_carotene", "Betacaroteno", 700,
                 std::nullopt},
        FormCase{"beta-carotene", "en", "vitamin_a", "beta_carotene", "Beta-carotene", 700,
                 std::nullopt},
        FormCase{"retinol", "es", "vitamin_a", "", "Retinol (vitamina A preformada)", 700,
                 std::nullopt, true},
        FormCase{"ácido nicotínico", "es", "niacin", "nicotinic_acid", "Ácido nicotínico", 10, 10},
        FormCase{"nicotinic acid", "en", "niacin", "nicotinic_acid", "Nicotinic acid", 10, 10},
        FormCase{"nicotinamida", "es", "niacin", "nicotinamide", "Nicotinamida", 14, std::nullopt,
                 true},
        FormCase{"sulfato ferroso", "es", "iron", "ferrous_sulfate", "Sulfato ferroso",
                 std::nullopt, std::nullopt, true},
        FormCase{"ferrous sulfate", "en", "iron", "ferrous_sulfate", "Ferrous sulfate",
                 std::nullopt, std::nullopt, true},
        FormCase{"aceite de hígado de bacalao", "es", "omega_3", "cod_liver_oil",
                 "Aceite de hígado de bacalao", 1000, std::nullopt}));

}  // namespace
}  // namespace vitarec::recommend

namespace vitarec::recommend {
namespace {

struct MadeForCase {
  std::string query;
  std::string locale;
  bool pregnant;
  bool lactating;
  std::string form_name;
};
void PrintTo(const MadeForCase& c, std::ostream* os) { *os << c.query << " " << c.locale; }

class FormMadeForThePersonTest : public ::testing::TestWithParam<MadeForCase> {};

TEST_P(FormMadeForThePersonTest, IsGivenWhenNoFormIsNamed) {
  const MadeForCase& c = GetParam();
  const auto out = support::RunRequest(support::MakeRequest(
      c.query, c.locale, support::Answers(std::nullopt, "", c.pregnant, c.lactating)));
  const auto* item = support::FindItem(out, "multivitamin");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("form").as_string(), c.form_name);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormMadeForThePersonTest,
    ::testing::Values(MadeForCase{"multivitamínico", "es", true, false, "Multivitamínico prenatal"},
                      MadeForCase{"multivitamin", "en", false, true, "Prenatal multivitamin"},
                      MadeForCase{"multivitamínico", "es", false, false,
                                  "Multivitamínico y minerales estándar"},
                      MadeForCase{"multivitamínico para mayores de 50", "es", true, false,
                                  "Multivitamínico para mayores de 50"}));

}  // namespace
}  // namespace vitarec::recommend

// The grades, goal links and reference rows a pharmacist's review found wrong, against the NIH
// ODS tables: each row is what the knowledge base must now say.
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "recommend/Person.h"

namespace vitarec::recommend {
namespace {

using support::Kb;

struct GradeCase {
  std::string supplement;
  std::string goal;
  char grade;
};
void PrintTo(const GradeCase& c, std::ostream* os) { *os << c.supplement << "/" << c.goal; }

class EvidenceGradeTest : public ::testing::TestWithParam<GradeCase> {};

TEST_P(EvidenceGradeTest, HasTheReviewedGrade) {
  const Supplement* s = Kb()->FindSupplement(GetParam().supplement);
  ASSERT_NE(s, nullptr);
  const auto it = std::find_if(s->evidence.begin(), s->evidence.end(),
                               [&](const Evidence& e) { return e.goal == GetParam().goal; });
  ASSERT_NE(it, s->evidence.end());
  EXPECT_EQ(it->grade, GetParam().grade);
}

INSTANTIATE_TEST_SUITE_P(Table, EvidenceGradeTest,
                         ::testing::Values(GradeCase{"vitamin_a", "eye_health", 'D'},
                                           GradeCase{"niacin", "skin_hair_nails", 'D'},
                                           GradeCase{"vitamin_e", "liver", 'D'},
                                           GradeCase{"omega_3", "heart_health", 'C'}));

struct RowCase {
  std::string supplement;
  int age;
  Sex sex;
  LifeStage stage;
  double amount;  // RDA or AI per day, NIH ODS
};
void PrintTo(const RowCase& c, std::ostream* os) {
  *os << c.supplement << " age " << c.age << " stage " << static_cast<int>(c.stage);
}

class ReferenceRowTest : public ::testing::TestWithParam<RowCase> {};

TEST_P(ReferenceRowTest, MatchesTheReferenceTable) {
  const RowCase& c = GetParam();
  const Supplement* s = Kb()->FindSupplement(c.supplement);
  ASSERT_NE(s, nullptr);
  Person p;
  p.age = c.age;
  p.sex = c.sex;
  p.pregnant = c.stage == LifeStage::kPregnancy;
  p.lactating = c.stage == LifeStage::kLactation;
  const auto rda = ReferenceIntakeFor(*s, p);
  ASSERT_TRUE(rda.has_value());
  EXPECT_DOUBLE_EQ(rda->low, c.amount);
}

constexpr Sex F = Sex::kFemale;
constexpr Sex M = Sex::kMale;
constexpr LifeStage kNone = LifeStage::kAny;
constexpr LifeStage kPreg = LifeStage::kPregnancy;
constexpr LifeStage kLact = LifeStage::kLactation;

INSTANTIATE_TEST_SUITE_P(
    Table, ReferenceRowTest,
    ::testing::Values(
        RowCase{"zinc", 16, F, kNone, 9}, RowCase{"zinc", 16, F, kPreg, 12},
        RowCase{"zinc", 16, F, kLact, 13}, RowCase{"zinc", 30, F, kPreg, 11},
        RowCase{"vitamin_a", 16, F, kPreg, 750}, RowCase{"vitamin_a", 16, F, kLact, 1200},
        RowCase{"vitamin_a", 30, F, kPreg, 770}, RowCase{"vitamin_c", 16, F, kPreg, 80},
        RowCase{"vitamin_c", 16, F, kLact, 115}, RowCase{"vitamin_c", 30, F, kLact, 120},
        RowCase{"riboflavin", 16, F, kNone, 1.0}, RowCase{"riboflavin", 30, F, kPreg, 1.4},
        RowCase{"riboflavin", 16, F, kLact, 1.6}, RowCase{"choline", 16, F, kNone, 400},
        RowCase{"choline", 16, F, kPreg, 450}, RowCase{"choline", 30, F, kLact, 550},
        RowCase{"vitamin_b6", 16, F, kNone, 1.2}, RowCase{"vitamin_b6", 16, M, kNone, 1.3},
        RowCase{"vitamin_b6", 16, F, kPreg, 1.9}, RowCase{"potassium", 16, F, kPreg, 2600},
        RowCase{"potassium", 30, F, kPreg, 2900}, RowCase{"potassium", 16, F, kLact, 2500},
        RowCase{"potassium", 30, F, kLact, 2800}, RowCase{"chromium", 16, F, kNone, 24},
        RowCase{"chromium", 16, M, kNone, 35}, RowCase{"chromium", 16, F, kPreg, 29},
        RowCase{"chromium", 30, F, kLact, 45}, RowCase{"biotin", 16, F, kNone, 25},
        RowCase{"biotin", 30, F, kPreg, 30}, RowCase{"biotin", 16, F, kLact, 35},
        RowCase{"folate", 6, F, kNone, 200}, RowCase{"folate", 30, F, kNone, 400},
        RowCase{"folate", 30, F, kPreg, 600}, RowCase{"folate", 16, F, kLact, 500}));

}  // namespace
}  // namespace vitarec::recommend

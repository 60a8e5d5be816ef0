#include <gtest/gtest.h>

#include "recommend/EditDistance.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

struct FoldCase {
  std::string input;
  std::string folded;
};
void PrintTo(const FoldCase& c, std::ostream* os) { *os << c.input; }

class FoldTextTest : public ::testing::TestWithParam<FoldCase> {};

TEST_P(FoldTextTest, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(FoldText(GetParam().input), GetParam().folded);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FoldTextTest,
    ::testing::Values(
        FoldCase{"Magnesio", "magnesio"}, FoldCase{"¿Citrato de MAGNESIO?", "citrato de magnesio"},
        FoldCase{"  dormir   mejor!! ", "dormir mejor"}, FoldCase{"Ácido fólico", "acido folico"},
        FoldCase{"Ñandú pingüino", "nandu pinguino"}, FoldCase{"omega-3", "omega 3"},
        FoldCase{"St. John's wort", "st john s wort"}, FoldCase{"Straße œuvre", "strasse oeuvre"},
        FoldCase{"<script>alert(1)</script>", "script alert 1 script"},
        FoldCase{"'; DROP TABLE jobs; --", "drop table jobs"},
        FoldCase{"日本語 vitamina", "vitamina"},
        FoldCase{std::string("vit\xff\xfe"
                             "amina"),
                 "vit amina"},
        FoldCase{std::string("\xc3"), ""}, FoldCase{"", ""}));

struct DistanceCase {
  std::string a;
  std::string b;
  int max;
  int expected;
};
void PrintTo(const DistanceCase& c, std::ostream* os) { *os << c.a; }

class EditDistanceTest : public ::testing::TestWithParam<DistanceCase> {};

TEST_P(EditDistanceTest, CountsEditsUpToTheBound) {
  const auto& c = GetParam();
  EXPECT_EQ(BoundedEditDistance(c.a, c.b, c.max), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, EditDistanceTest,
                         ::testing::Values(DistanceCase{"magnesio", "magnesio", 2, 0},
                                           DistanceCase{"magnecio", "magnesio", 2, 1},
                                           DistanceCase{"magensio", "magnesio", 2, 1},  // swap
                                           DistanceCase{"magnesi", "magnesio", 2, 1},
                                           DistanceCase{"mgnesoi", "magnesio", 2, 2},
                                           DistanceCase{"hierro", "magnesio", 2, 3},
                                           DistanceCase{"", "abc", 5, 3},
                                           DistanceCase{"abc", "", 1, 2}));

}  // namespace
}  // namespace vitarec::recommend

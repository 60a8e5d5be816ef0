// The Spanish of the result reads as people in Spain write it: names inside a sentence in lower
// case and with their article ("Separa el magnesio de la levotiroxina"), "tú" throughout, the
// pretérito perfecto ("Es lo que has buscado"), singular "1 año".
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

using support::AnyContains;
using support::FindItem;
using support::RunRequest;
using support::Strings;

struct TextCase {
  std::string name;
  std::string query;
  std::vector<std::string> medications;
  std::optional<int> age;
  std::string supplement;  // item whose warnings/reasons hold the text; empty: general warnings
  std::string text;
};
void PrintTo(const TextCase& c, std::ostream* os) { *os << c.name; }

class SpanishTextTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(SpanishTextTest, ReadsAsWrittenInSpain) {
  const TextCase& c = GetParam();
  QuizAnswers answers = support::Answers(c.age);
  answers.medications = c.medications;
  const auto out = RunRequest(support::MakeRequest(c.query, "es", answers));
  std::vector<std::string> texts = Strings(out, "warnings");
  if (!c.supplement.empty()) {
    const auto* item = FindItem(out, c.supplement);
    ASSERT_NE(item, nullptr);
    texts = Strings(*item, "warnings");
    const auto reasons = Strings(*item, "reasons");
    texts.insert(texts.end(), reasons.begin(), reasons.end());
    texts.emplace_back(item->at("dose").as_object().contains("note")
                           ? std::string(item->at("dose").at("note").as_string())
                           : "");
  }
  EXPECT_TRUE(AnyContains(texts, c.text)) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SpanishTextTest,
    ::testing::Values(
        TextCase{"ArticleAndLowerCase",
                 "magnesio",
                 {"levotiroxina"},
                 40,
                 "magnesium",
                 "Separa el magnesio de la levotiroxina al menos 4 horas"},
        TextCase{"ContractedDel",
                 "hierro",
                 {"ciprofloxacino"},
                 40,
                 "iron",
                 "Separa el hierro del ciprofloxacino"},
        TextCase{"ContractedDelWhenWatching",
                 "magnesio",
                 {"omeprazol"},
                 40,
                 "magnesium",
                 "vigila el efecto del magnesio"},
        TextCase{"YouAskedForIt", "vitamina d", {}, 40, "vitamin_d", "Es lo que has buscado."},
        TextCase{"TuPediatra", "vitamina d", {}, 8, "vitamin_d", "con tu pediatra"},
        TextCase{"OneYearSingular",
                 "vitamina d para un bebé de 8 meses",
                 {},
                 std::nullopt,
                 "",
                 "por debajo de 1 año sin indicación de tu pediatra"},
        TextCase{"RetinolActivityEquivalents",
                 "retinol",
                 {},
                 40,
                 "vitamin_a",
                 "equivalentes de actividad de retinol"}),
    [](const auto& info) { return info.param.name; });

struct ArticleCase {
  std::string name;
  std::string expected;
};
void PrintTo(const ArticleCase& c, std::ostream* os) { *os << c.name; }

class ArticleTest : public ::testing::TestWithParam<ArticleCase> {};

TEST_P(ArticleTest, GivesTheSpanishArticleAndLowerCase) {
  EXPECT_EQ(phrases::WithArticle(GetParam().name), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ArticleTest,
    ::testing::Values(ArticleCase{"Magnesio", "el magnesio"},
                      ArticleCase{"Levotiroxina", "la levotiroxina"},
                      ArticleCase{"Vitamina D", "la vitamina D"},
                      ArticleCase{"Ácido fólico (folato)", "el ácido fólico (folato)"},
                      ArticleCase{"Probióticos", "los probióticos"},
                      ArticleCase{"Estatinas", "las estatinas"}, ArticleCase{"5-HTP", "el 5-HTP"},
                      ArticleCase{"CoQ10", "el CoQ10"}, ArticleCase{"L-teanina", "la L-teanina"}));

}  // namespace
}  // namespace vitarec::recommend

#include <gtest/gtest.h>

#include <random>

#include "llm/Grounding.h"
#include "llm/KbSupport.h"
#include "llm/NarrativeGuard.h"
#include "llm/RandomText.h"

namespace vitarec::llm {
namespace {

using testing::Names;
using testing::Recommend;

struct Case {
  const char* name;
  std::string query;
  std::string locale;
  std::string narrative;
  std::string problem;  // "" when consistent, else the Inconsistency detail
};

// The engine's results for these queries (the real knowledge base): magnesium 200 mg (upper
// limit 250 mg); vitamin D 25 mcg (upper limit 100 mcg); iron 18 mg, whose timing says to keep
// it away from calcium; probiotics 10 billion CFU; "magnesio hierro" gives both items.
TEST(NarrativeGuardTest, AmountsAndSupplementsMustComeFromTheResult) {
  const Case cases[] = {
      {"es: the dose as the card shows it", "magnesio", "es",
       "El magnesio, en forma de bisglicinato de magnesio, se toma a razón de 200 mg al día.", ""},
      {"es: the upper limit, and the dose in grams", "magnesio", "es",
       "No superes los 250 mg; 0,2 g al día bastan.", ""},
      {"es: a wrong dose", "magnesio", "es", "Toma 400 mg de Magnesio con la cena.", "400 mg"},
      {"es: a dose in another unit is a different dose", "magnesio", "es",
       "Toma 200 mcg de magnesio.", "200 mcg"},
      {"es: another supplement, accents and case ignored", "magnesio", "es",
       "El magnesio combina bien con el ZINC y la melatonína.", "zinc"},
      {"es: an alias of another supplement", "magnesio", "es", "Puedes añadir colecalciferol.",
       "vitamin_d"},
      {"es: a supplement the item's own text names", "hierro", "es",
       "Toma el hierro lejos del calcio y del café.", ""},
      {"es: 1.000 UI, as the form's note says (25 mcg equivalen a 1000 UI)", "vitamina d", "es",
       "La vitamina D3 se toma en dosis de 1.000 UI.", ""},
      {"es: 4.000 UI is nowhere in the result", "vitamina d", "es",
       "La vitamina D3 se toma en dosis de 4.000 UI.", "4.000 UI"},
      {"es: probiotics in billions", "probioticos", "es",
       "Los probióticos aportan 10 mil millones de UFC al día.", ""},
      {"es: a range must match at both ends", "magnesio", "es", "Entre 100 y 200 mg de magnesio.",
       "100"},
      {"es: another item's dose given to this item", "magnesio hierro", "es",
       "Toma 18 mg de magnesio con la cena.", "18 mg"},
      {"es: each item's dose in its own sentence", "magnesio hierro", "es",
       "Del hierro, 18 mg en ayunas. Del magnesio, 200 mg con la cena.", ""},
      {"es: doses swapped across a \"mg.\" that ends a sentence", "magnesio hierro", "es",
       "Del magnesio, 18 mg. Del hierro, 200 mg.", "18 mg"},
      {"es: a sentence naming both items may use either dose", "magnesio hierro", "es",
       "El hierro se toma a 18 mg y el magnesio a 200 mg.", ""},
      {"es: a sentence naming no item may use any dose of the result", "magnesio hierro", "es",
       "Una de las dosis es 18 mg.", ""},
      {"en: the dose", "vitamin d", "en", "Vitamin D3 at 25 mcg a day, never above 100 µg.", ""},
      {"en: a wrong dose", "vitamin d", "en", "Take 50 mcg of vitamin D daily.", "50 mcg"},
      {"en: another supplement", "vitamin d", "en", "Vitamin D works well with magnesium.",
       "magnesium"},
      {"en: probiotics", "probiotics", "en", "Take 10 billion CFU a day.", ""},
      {"en: no amounts, no names", "magnesium", "en",
       "This supplement may help you sleep; talk to your doctor first.", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const boost::json::object result = Recommend(c.query, c.locale);
    const GroundingFacts facts = FactsOf(result, Names());
    const auto problem = FindInconsistency(c.narrative, facts, Names());
    EXPECT_EQ(problem ? problem->detail : "", c.problem);
  }
}

TEST(NarrativeGuardTest, TheQueryIsNotAFact) {
  const boost::json::object result = Recommend("magnesio 5000 mg zinc", "es");
  const GroundingFacts facts = FactsOf(result, Names());
  auto problem = FindInconsistency("Toma 5000 mg de magnesio.", facts, Names());
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, Inconsistency::Kind::kAmount);
}

// Feeds `narrative` in pieces of `step` bytes; returns the text released along the way and the
// released text after each piece.
struct Streamed {
  std::string released;
  std::vector<std::string> pieces;
  bool rejected = false;
};

Streamed Stream(const GroundingFacts& facts, std::string_view narrative, std::size_t step,
                bool complete = true) {
  NarrativeGuard guard(facts, Names());
  Streamed out;
  for (std::size_t i = 0; i < narrative.size(); i += step) {
    std::string piece = guard.Append(narrative.substr(i, step));
    out.released += piece;
    out.pieces.push_back(piece);
  }
  out.released += guard.Finish(complete);
  out.rejected = guard.rejected();
  EXPECT_EQ(guard.released(), out.released);
  return out;
}

TEST(NarrativeGuardTest, ReleasesConsistentSentencesAsTheyEnd) {
  const GroundingFacts facts = FactsOf(Recommend("magnesio", "es"), Names());
  const std::string text =
      "El magnesio ayuda a dormir. Toma 200 mg con la cena, sin pasar de 250 mg. Consulta a tu "
      "médico";
  for (std::size_t step : {1, 2, 3, 7, 100}) {
    SCOPED_TRACE(step);
    const Streamed s = Stream(facts, text, step);
    EXPECT_FALSE(s.rejected);
    EXPECT_EQ(s.released, text);
  }
  NarrativeGuard guard(facts, Names());
  EXPECT_EQ(guard.Append("El magnesio ayuda a dormir"), "");  // no boundary yet
  EXPECT_EQ(guard.Append(". Toma 2"), "El magnesio ayuda a dormir. ");
  EXPECT_EQ(guard.Append("00 mg, de noche; "), "");  // clauses are not sentences
  EXPECT_EQ(guard.Append("p. ej. "), "");            // nor abbreviations
  EXPECT_EQ(guard.Append("con la cena.\n"), "Toma 200 mg, de noche; p. ej. con la cena.\n");
}

TEST(NarrativeGuardTest, NeverReleasesAnInconsistentSentence) {
  const GroundingFacts facts = FactsOf(Recommend("magnesio", "es"), Names());
  const struct {
    std::string text;
    std::string released;
  } cases[] = {
      {"El magnesio ayuda a dormir. Toma 2000 mg con la cena. Nada más.",
       "El magnesio ayuda a dormir. "},
      {"El magnesio ayuda. Tómalo con zinc. Nada más.", "El magnesio ayuda. "},
      // No clause of the inconsistent sentence shows either.
      {"El magnesio ayuda. Tómalo con la cena, y con zinc. Nada más.", "El magnesio ayuda. "},
      {"El magnesio ayuda. Toma aprox. 900 mg. Nada más.", "El magnesio ayuda. "},
      {"Toma 1.000 mg.", ""},
      // The unit arrives on the next line: the line ending in a number is held back.
      {"Dosis: entre 200 y\n400 mg.", ""},
      {"Dosis: 200\nmg? No: 400 mg.", "Dosis: 200\nmg? "},
      // The decimal point is not a sentence end.
      {"Toma 2.5 g de magnesio. Bien.", ""},
  };
  for (const auto& c : cases) {
    for (std::size_t step : {1, 4, 1000}) {
      SCOPED_TRACE(c.text + " / " + std::to_string(step));
      const Streamed s = Stream(facts, c.text, step);
      EXPECT_TRUE(s.rejected);
      EXPECT_EQ(s.released, c.released);
    }
  }
}

TEST(NarrativeGuardTest, AnUnfinishedTailIsDroppedWhenTheStreamWasCut) {
  const GroundingFacts facts = FactsOf(Recommend("magnesium", "en"), Names());
  const Streamed cut = Stream(facts, "Magnesium may help. Take 200 mg with", 5, false);
  EXPECT_FALSE(cut.rejected);
  EXPECT_EQ(cut.released, "Magnesium may help. ");
  const Streamed complete = Stream(facts, "Magnesium may help. Take 200 mg with", 5, true);
  EXPECT_EQ(complete.released, "Magnesium may help. Take 200 mg with");
  // The tail is checked too.
  const Streamed wrong = Stream(facts, "Magnesium may help. Take 900 mg", 5, true);
  EXPECT_TRUE(wrong.rejected);
  EXPECT_EQ(wrong.released, "Magnesium may help. ");
}

TEST(NarrativeGuardTest, MultiByteTextSplitAnywhere) {
  const GroundingFacts facts = FactsOf(Recommend("vitamina d", "es"), Names());
  const std::string text =
      "La vitamina D3 «colecalciferol» — 25 µg — mejora… ¿Cuándo? Con la comida.";
  for (std::size_t step = 1; step <= 5; ++step) {
    const Streamed s = Stream(facts, text, step);
    EXPECT_FALSE(s.rejected);
    EXPECT_EQ(s.released, text);
    for (const std::string& piece : s.pieces) {
      // Every released piece ends on ASCII, never inside a UTF-8 sequence.
      if (!piece.empty()) {
        EXPECT_LT(static_cast<unsigned char>(piece.back()), 0x80);
      }
    }
  }
}

}  // namespace
}  // namespace vitarec::llm

namespace vitarec::llm {
namespace {

// Random narratives from good and bad pieces, fed in random slices: what comes out is always a
// prefix of what went in and always consistent; it is the whole text exactly when the whole text
// is consistent.
TEST(NarrativeGuardTest, RandomNarrativesReleaseOnlyConsistentPrefixes) {
  const GroundingFacts facts = FactsOf(testing::Recommend("magnesio", "es"), testing::Names());
  const std::vector<std::string> pieces = {"El magnesio ayuda. ",
                                           "Toma 200 mg",
                                           " al día. ",
                                           "Toma 900 mg",
                                           " con zinc",
                                           "p. ej. ",
                                           "sin pasar de 250 mg. ",
                                           "entre 200 y\n",
                                           "400 mg",
                                           "¿Dudas? ",
                                           "\n",
                                           "Consulta al médico",
                                           "1.000 UI",
                                           " o 0,2 g. ",
                                           "mg. ",
                                           "¡Ánimo! "};
  std::mt19937 random(3);
  for (int round = 0; round < 500; ++round) {
    const std::string text = testing::RandomText(random, pieces, 8);
    NarrativeGuard guard(facts, testing::Names());
    std::string shown;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t step = 1 + random() % 9;
      shown += guard.Append(std::string_view(text).substr(i, step));
      i += step;
    }
    shown += guard.Finish(true);
    ASSERT_EQ(text.compare(0, shown.size(), shown), 0) << text;
    EXPECT_FALSE(FindInconsistency(shown, facts, testing::Names())) << shown;
    const bool consistent = !FindInconsistency(text, facts, testing::Names());
    EXPECT_EQ(guard.rejected(), !consistent) << text;
    if (consistent) {
      EXPECT_EQ(shown, text);
    }
  }
}

}  // namespace
}  // namespace vitarec::llm

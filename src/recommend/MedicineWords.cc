#include "recommend/MedicineWords.h"

#include <algorithm>
#include <iterator>

#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

// Folded INN endings, Spanish and English spellings. Chosen so that no common Spanish or English
// word shares them ("-terol" would catch "colesterol", "-vir" "vivir", "-sona" "persona").
constexpr std::string_view kSuffixes[] = {
    "pril",      "sartan",     "olol",       "alol",     "dipino",   "dipine",    "azepam",
    "zolam",     "statina",    "statin",     "prazol",   "prazole",  "floxacino", "floxacin",
    "ciclina",   "cycline",    "micina",     "mycin",    "cilina",   "cillin",    "umab",
    "imab",      "ximab",      "zumab",      "tinib",    "gliptina", "gliptin",   "gliflozina",
    "gliflozin", "glitazona",  "glitazone",  "triptan",  "oxetina",  "oxetine",   "afil",
    "parina",    "parin",      "xaban",      "gatran",   "tidina",   "tidine",    "setron",
    "conazol",   "conazole",   "navir",      "ovir",     "uvir",     "lukast",    "pramina",
    "pramine",   "triptilina", "triptyline", "peridona", "peridone", "apina",     "apine",
    "osina",     "osin",       "dronato",    "dronate",  "metasona", "methasone", "nisona",
    "nisone",    "solona",     "solone",     "profeno",  "profen",   "fenaco",    "fenac",
    "coxib",     "tiazida",    "thiazide",   "semida",   "semide",   "zepina",
};
constexpr std::size_t kMinLength = 6;

// Words after which the next unknown word is taken for a medicine.
constexpr std::string_view kCues[] = {
    "tomo",        "toma",        "tomas",      "tomamos",     "toman",        "tomando",
    "tomar",       "tomaba",      "medicacion", "medicamento", "medicamentos", "pastilla",
    "pastillas",   "tratamiento", "tratada",    "tratado",     "receta",       "recetado",
    "recetada",    "take",        "takes",      "taking",      "took",         "medication",
    "medications", "medicine",    "medicines",  "pill",        "pills",        "prescribed",
};
// Skipped between a cue and the word it introduces.
constexpr std::string_view kFillers[] = {
    "el",     "la",      "los",     "las",    "un",      "una",   "unos",   "unas",    "mi",
    "mis",    "de",      "del",     "con",    "the",     "a",     "an",     "my",      "some",
    "of",     "for",     "para",    "also",   "mucho",   "mucha", "muchos", "muchas",  "varios",
    "varias", "algunos", "algunas", "otro",   "otra",    "otros", "otras",  "tambien", "ya",
    "cada",   "todos",   "todas",   "many",   "several", "other", "lots",   "every",   "already",
    "too",    "daily",   "diario",  "diaria", "desde",   "since", "now",    "ahora",
};
// Joins a list of several words after one cue ("tomo sintrom y zyloric").
constexpr std::string_view kJoiners[] = {"y", "e", "o", "and", "or"};
// Said after "tomo" / "take" without being a medicine.
constexpr std::string_view kNotMedicines[] = {
    "cafe",        "te",        "leche",     "agua",     "alcohol", "vino",    "cerveza",
    "tabaco",      "comida",    "nada",      "algo",     "poco",    "coffee",  "tea",
    "milk",        "water",     "wine",      "beer",     "food",    "nothing", "much",
    "little",      "any",       "something", "anything", "cosas",   "things",  "suplementos",
    "supplements", "vitaminas", "vitamins",
};

// Words of a medication answer that say how it is taken, not what it is.
constexpr std::string_view kDoseWords[] = {
    "mg",          "mcg",     "ug",       "g",       "ml",      "ui",       "iu",     "comprimido",
    "comprimidos", "capsula", "capsulas", "sobre",   "sobres",  "gotas",    "dosis",  "cada",
    "hora",        "horas",   "dia",      "dias",    "al",      "por",      "manana", "noche",
    "semana",      "semanal", "tablet",   "tablets", "capsule", "capsules", "drops",  "dose",
    "hours",       "hour",    "day",      "days",    "morning", "night",    "week",   "weekly",
    "per",         "at",      "x",        "vez",     "veces",   "once",     "twice",  "times",
};

template <std::size_t N>
bool In(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

}  // namespace

bool HasMedicineSuffix(std::string_view word) {
  if (word.size() < kMinLength) return false;
  return std::any_of(std::begin(kSuffixes), std::end(kSuffixes),
                     [&](std::string_view s) { return word.ends_with(s); });
}

std::vector<std::string> MedicineLikeWords(std::string_view query,
                                           const std::vector<std::string>& unknown_words) {
  std::vector<std::string> out;
  if (unknown_words.empty()) return out;
  const auto unknown = [&](std::string_view w) {
    return std::find(unknown_words.begin(), unknown_words.end(), w) != unknown_words.end();
  };
  const auto add = [&](const std::string& w) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  };
  const std::vector<std::string> tokens = FoldTokens(query);
  bool after_cue = false;  // the next content word is introduced by a cue
  bool listing = false;    // the last content word was: a joiner ("y", "and") continues the list
  for (const std::string& t : tokens) {
    if (In(kCues, t)) {
      after_cue = true;
      continue;
    }
    if (In(kJoiners, t)) {
      after_cue = after_cue || listing;
      continue;
    }
    if (after_cue && In(kFillers, t)) continue;
    const bool cued = after_cue && !In(kNotMedicines, t);
    if (unknown(t) && (cued || HasMedicineSuffix(t))) add(t);
    listing = after_cue;
    after_cue = false;
  }
  return out;
}

void AddUnknownMedicines(const QueryMatcher& matcher, const RecommendRequest& request,
                         Understanding& u) {
  const auto add = [&](const std::string& w) {
    if (std::find(u.unknown_medications.begin(), u.unknown_medications.end(), w) ==
        u.unknown_medications.end())
      u.unknown_medications.push_back(w);
  };
  for (const std::string& w : MedicineLikeWords(request.query, u.unknown_words)) add(w);
  if (!request.answers) return;
  for (const std::string& entry : request.answers->medications) {
    const MatchResult m =
        matcher.Match(entry, MaskOf(TermKind::kDrug) | MaskOf(TermKind::kDrugClass));
    if (m.matches.empty()) continue;
    for (const std::string& w : m.unknown) {
      const bool has_digit = w.find_first_of("0123456789") != std::string::npos;
      if (!has_digit && !In(kDoseWords, w) && !In(kFillers, w) && !In(kJoiners, w) && !In(kCues, w))
        add(w);
    }
  }
}

}  // namespace vitarec::recommend

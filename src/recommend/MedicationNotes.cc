#include "recommend/MedicationNotes.h"

#include <algorithm>

#include "recommend/KnowledgeBaseParser.h"
#include "recommend/MedicationProfile.h"
#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;

bool En(std::string_view locale) { return locale == "en"; }

// "a, b y c" / "a, b and c".
std::string List(const std::vector<std::string>& names, std::string_view locale) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? (En(locale) ? " and " : " y ") : ", ";
    out += names[i];
  }
  return out;
}

// The supplements to avoid and to ask about for one named drug or class.
void Summarise(const KnowledgeBase& kb, const MedicationProfile& meds, const LocalizedText& name,
               std::string_view locale, json::array& warnings) {
  std::vector<std::string> avoid, ask;
  for (const Supplement& s : kb.supplements()) {
    std::optional<SafetyAction> strictest;
    for (const Interaction& x : s.interactions) {
      const TakenVia* via = meds.Find(x.target);
      if (via == nullptr) continue;
      const SafetyAction a = MedicationProfile::ActionFor(x.action, *via);
      strictest = strictest ? std::max(*strictest, a) : a;
    }
    if (!strictest) continue;
    (*strictest == SafetyAction::kAvoid ? avoid : ask)
        .push_back(locale == "en" ? s.name.In(locale) : phrases::Lowered(s.name.In(locale)));
  }
  if (avoid.empty() && ask.empty()) return;
  warnings.emplace_back(
      phrases::InteractsSummary(name.In(locale), List(avoid, locale), List(ask, locale), locale));
}

}  // namespace

bool HasSevereInteractions(const Supplement& supplement) {
  return std::any_of(supplement.interactions.begin(), supplement.interactions.end(),
                     [](const Interaction& x) { return x.action == SafetyAction::kAvoid; });
}

std::string TakenText(const SafetyFlag& flag, std::string_view locale) {
  std::string out = flag.drug_name ? flag.drug_name->In(locale) : flag.drug_id;
  if (flag.possible_target != nullptr) {
    out += En(locale) ? " (in case they include " : " (por si incluyen ";
    out += flag.possible_target->In(locale) + ")";
  }
  return out;
}

std::optional<std::string> MedicationFlagText(const SafetyFlag& flag, std::string_view supplement,
                                              std::string_view locale) {
  if (flag.interaction != nullptr)
    return phrases::DrugRule(flag.action, supplement, TakenText(flag, locale),
                             flag.interaction->hours, flag.interaction->note.In(locale), locale);
  if (flag.unknown_medicine.empty()) return std::nullopt;
  const std::string s(supplement), m = flag.unknown_medicine;
  if (En(locale))
    return "We do not recognise \"" + m + "\" and " + s +
           " interacts with many medicines: ask your pharmacist before combining them.";
  return "No reconocemos «" + m + "» y " + s +
         " interactúa con muchos medicamentos: consulta a tu farmacéutico antes de combinarlos.";
}

json::object InteractionJson(const SafetyFlag& flag, std::string_view locale) {
  json::object x{{"with", flag.drug_id},
                 {"name", flag.drug_name ? flag.drug_name->In(locale) : flag.drug_id},
                 {"action", SafetyActionName(flag.action)},
                 {"note", flag.interaction->note.In(locale)}};
  if (flag.action == SafetyAction::kSeparate) x["hours"] = flag.interaction->hours;
  if (flag.possible_target != nullptr) {
    x["possible"] = true;
    x["via"] = flag.interaction->target;
  }
  return x;
}

std::string UnknownMedicineWarning(const KnowledgeBase& kb, std::string_view entry,
                                   const std::vector<Candidate>& candidates,
                                   std::string_view locale) {
  std::vector<std::string> severe;
  for (const Candidate& c : candidates) {
    const Supplement& s = kb.supplements()[c.supplement];
    if (!c.excluded && HasSevereInteractions(s)) severe.push_back(s.name.In(locale));
  }
  const std::string e(entry);
  if (En(locale)) {
    if (severe.empty())
      return "We do not recognise \"" + e +
             "\", so its interactions were not checked: ask your pharmacist before combining it "
             "with any supplement.";
    return "We do not recognise \"" + e + "\": ask your pharmacist before combining it with " +
           List(severe, locale) + (severe.size() == 1 ? ", which interacts" : ", which interact") +
           " with many medicines.";
  }
  if (severe.empty())
    return "No reconocemos «" + e +
           "», así que no hemos comprobado sus interacciones: consulta a tu farmacéutico antes de "
           "combinarlo con cualquier suplemento.";
  return "No reconocemos «" + e + "»: consulta a tu farmacéutico antes de combinarlo con " +
         List(severe, locale) + (severe.size() == 1 ? ", que interactúa" : ", que interactúan") +
         " con muchos medicamentos.";
}

void AddInteractionSummaries(const KnowledgeBase& kb, const Understanding& u,
                             std::string_view locale, json::array& warnings) {
  for (std::uint32_t d : u.drugs)
    Summarise(kb, MedicationProfile::OfDrug(kb, d), kb.drugs()[d].name, locale, warnings);
  for (std::uint32_t c : u.drug_classes)
    Summarise(kb, MedicationProfile::OfClass(kb, c), kb.drug_classes()[c].name, locale, warnings);
}

}  // namespace vitarec::recommend

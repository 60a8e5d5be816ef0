#include "recommend/UpperLimit.h"

#include <algorithm>

#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

bool HasStage(const std::vector<IntakeRow>& rows, LifeStage stage) {
  return std::any_of(rows.begin(), rows.end(),
                     [&](const IntakeRow& r) { return r.who.stage == stage; });
}

// `rows`, plus its general rows copied to every stage that only `other` has rows for.
void AppendSpreadToStages(const std::vector<IntakeRow>& rows, const std::vector<IntakeRow>& other,
                          std::vector<IntakeRow>& out) {
  out.insert(out.end(), rows.begin(), rows.end());
  for (LifeStage stage : {LifeStage::kPregnancy, LifeStage::kLactation}) {
    if (HasStage(rows, stage) || !HasStage(other, stage)) continue;
    for (IntakeRow row : rows) {
      if (row.who.stage != LifeStage::kAny || row.who.sex == Sex::kMale) continue;
      row.who.stage = stage;
      out.push_back(row);
    }
  }
}

}  // namespace

std::vector<IntakeRow> LowerOfTables(const std::vector<IntakeRow>& a,
                                     const std::vector<IntakeRow>& b) {
  std::vector<IntakeRow> out;
  AppendSpreadToStages(a, b, out);
  AppendSpreadToStages(b, a, out);
  return out;
}

LimitBody UpperLimitBodyFor(const Supplement& supplement, const Person& person) {
  const auto limit = UpperLimitIn(supplement.ul, person);
  if (!limit) return LimitBody::kNone;
  const bool efsa = UpperLimitIn(supplement.ul_efsa, person) == limit;
  const bool iom = UpperLimitIn(supplement.ul_iom, person) == limit;
  if (efsa && iom) return LimitBody::kBoth;
  return efsa ? LimitBody::kEfsa : LimitBody::kIom;
}

std::string_view LimitBodyName(LimitBody body, std::string_view locale) {
  const bool en = locale == "en";
  switch (body) {
    case LimitBody::kEfsa:
      return "EFSA";
    case LimitBody::kIom:
      return en ? "IOM (US)" : "IOM (EE. UU.)";
    case LimitBody::kBoth:
      return "EFSA / IOM";
    case LimitBody::kNone:
      break;
  }
  return "";
}

std::string UpperLimitSentence(const Supplement& supplement, int upper_limit, LimitBody body,
                               std::string_view locale) {
  const bool en = locale == "en";
  const std::string amount =
      std::to_string(upper_limit) + " " + phrases::UnitText(supplement.dose.unit, locale);
  std::string out =
      en ? "Upper limit " + amount + " a day" : "Límite máximo: " + amount + " al día";
  const std::string who(LimitBodyName(body, locale));
  const bool both_tables = !supplement.ul_efsa.empty() && !supplement.ul_iom.empty();
  if (body == LimitBody::kBoth) {
    out += en ? " (EFSA and the US IOM agree)" : " (la EFSA y el IOM de EE. UU. coinciden)";
  } else if (both_tables && !who.empty()) {
    out += en ? " (" + who + ", the lower of the EFSA and US IOM limits)"
              : " (" + who + ", el más bajo entre el de la EFSA y el del IOM de EE. UU.)";
  } else if (!who.empty()) {
    out += " (" + who + ")";
  }
  if (supplement.ul_counts_food.value_or(true)) {
    out += en ? ", counting food as well as supplements." : ", contando también los alimentos.";
  } else {
    out += en ? ", from supplements and fortified foods only (ordinary food does not count)."
              : ", solo de suplementos y alimentos enriquecidos (la comida normal no cuenta).";
  }
  return out;
}

void AddUpperLimit(const Supplement& supplement, const Person& person, int upper_limit,
                   std::string_view locale, boost::json::object& dose) {
  const LimitBody body = UpperLimitBodyFor(supplement, person);
  dose["upper_limit"] = upper_limit;
  dose["upper_limit_source"] = body == LimitBody::kBoth   ? "EFSA / IOM"
                               : body == LimitBody::kEfsa ? "EFSA"
                                                          : "IOM";
  dose["upper_limit_counts_food"] = supplement.ul_counts_food.value_or(true);
  std::string note = UpperLimitSentence(supplement, upper_limit, body, locale);
  if (supplement.ul_note) note += " " + supplement.ul_note->In(locale);
  dose["note"] = std::move(note);
}

}  // namespace vitarec::recommend

#include "recommend/SafetyReview.h"

#include <algorithm>

#include "recommend/MedicationNotes.h"
#include "recommend/MedicationProfile.h"
#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

bool HasRuleFor(const Supplement& s, std::string_view condition) {
  return std::any_of(s.contraindications.begin(), s.contraindications.end(),
                     [&](const Contraindication& c) { return c.condition == condition; });
}

}  // namespace

void ReviewSafety(const KnowledgeBase& kb, const Understanding& u,
                  std::vector<Candidate>& candidates) {
  const Person& person = u.person;
  const MedicationProfile meds(kb, u);
  for (Candidate& c : candidates) {
    const Supplement& s = kb.supplements()[c.supplement];
    if (const auto youngest = person.YoungestAge(); youngest && *youngest < s.min_age) {
      c.excluded = true;
      c.exclusion_reason = phrases::BelowMinAge(s.min_age);
    }
    if (person.age && *person.age > s.max_age) {
      c.excluded = true;
      c.exclusion_reason =
          LocalizedText{"no se aconseja por encima de " + std::to_string(s.max_age) + " años",
                        "not advised over the age of " + std::to_string(s.max_age)};
    }
    for (const Contraindication& rule : s.contraindications) {
      if (!person.HasCondition(rule.condition)) continue;
      SafetyFlag flag;
      flag.action = rule.action;
      flag.contraindication = &rule;
      if (const Condition* cond = kb.FindCondition(rule.condition))
        flag.condition_name = &cond->name;
      c.flags.push_back(flag);
    }
    for (const Interaction& rule : s.interactions) {
      const TakenVia* via = meds.Find(rule.target);
      if (via == nullptr) continue;
      SafetyFlag flag;
      flag.action = MedicationProfile::ActionFor(rule.action, *via);
      flag.interaction = &rule;
      flag.drug_name = via->named;
      flag.drug_id = std::string(via->named_id);
      flag.possible_target = via->target;
      c.flags.push_back(flag);
    }
    const bool non_nutrient = s.category != "vitamin" && s.category != "mineral";
    // A medicine we cannot check, with an item that must be avoided with some medicines.
    if (HasSevereInteractions(s)) {
      for (const std::string& unknown : u.unknown_medications) {
        SafetyFlag flag;
        flag.action = SafetyAction::kAskDoctor;
        flag.unknown_medicine = unknown;
        c.flags.push_back(flag);
      }
    }
    for (const char* stage : {"pregnancy", "lactation"}) {
      if (!person.HasCondition(stage) || !non_nutrient || HasRuleFor(s, stage)) continue;
      const Condition* cond = kb.FindCondition(stage);
      if (cond == nullptr) continue;
      SafetyFlag flag;
      flag.action = SafetyAction::kAskDoctor;
      flag.condition_name = &cond->name;
      c.flags.push_back(flag);
    }
    std::stable_sort(c.flags.begin(), c.flags.end(), [](const SafetyFlag& a, const SafetyFlag& b) {
      return static_cast<int>(a.action) > static_cast<int>(b.action);
    });
    if (!c.excluded && !c.flags.empty() && c.flags.front().action == SafetyAction::kAvoid)
      c.excluded = true;
    c.dose = DoseFor(s, person, c.form);
  }
}

}  // namespace vitarec::recommend

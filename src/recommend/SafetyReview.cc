#include "recommend/SafetyReview.h"

#include <algorithm>

#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

// The name of what the person takes that `target` (a drug or class id) refers to: the drug
// itself when the person named it, else the class.
const LocalizedText* TakenName(const KnowledgeBase& kb, const Person& person,
                               const std::string& target, std::string& id_out) {
  for (const std::string& drug_id : person.drugs) {
    const Drug* drug = kb.FindDrug(drug_id);
    if (drug == nullptr) continue;
    if (drug->id == target ||
        std::find(drug->classes.begin(), drug->classes.end(), target) != drug->classes.end()) {
      id_out = drug->id;
      return &drug->name;
    }
  }
  if (const DrugClass* c = kb.FindDrugClass(target)) {
    id_out = c->id;
    return &c->name;
  }
  id_out = target;
  return nullptr;
}

bool HasRuleFor(const Supplement& s, std::string_view condition) {
  return std::any_of(s.contraindications.begin(), s.contraindications.end(),
                     [&](const Contraindication& c) { return c.condition == condition; });
}

}  // namespace

void ReviewSafety(const KnowledgeBase& kb, const Understanding& u,
                  std::vector<Candidate>& candidates) {
  const Person& person = u.person;
  for (Candidate& c : candidates) {
    const Supplement& s = kb.supplements()[c.supplement];
    if (const auto youngest = person.YoungestAge(); youngest && *youngest < s.min_age) {
      c.excluded = true;
      c.exclusion_reason = phrases::BelowMinAge(s.min_age);
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
      if (!person.Takes(rule.target)) continue;
      SafetyFlag flag;
      flag.action = rule.action;
      flag.interaction = &rule;
      flag.drug_name = TakenName(kb, person, rule.target, flag.drug_id);
      c.flags.push_back(flag);
    }
    const bool non_nutrient = s.category != "vitamin" && s.category != "mineral";
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

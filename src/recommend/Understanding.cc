#include "recommend/Understanding.h"

#include <algorithm>

#include "recommend/MedicineWords.h"
#include "recommend/PersonWords.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

template <typename T>
void AddOnce(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// Records one entity found in the query or the answers.
void Record(const TermRef& ref, Understanding& u) {
  switch (ref.kind) {
    case TermKind::kSupplement:
      AddOnce(u.supplements, ref.index);
      break;
    case TermKind::kForm:
      AddOnce(u.supplements, ref.index);
      AddOnce(u.forms, {ref.index, ref.sub});
      break;
    case TermKind::kGoal:
      AddOnce(u.goals, ref.index);
      break;
    case TermKind::kCondition:
      AddOnce(u.conditions, ref.index);
      break;
    case TermKind::kDrug:
      AddOnce(u.drugs, ref.index);
      break;
    case TermKind::kDrugClass:
      AddOnce(u.drug_classes, ref.index);
      break;
    case TermKind::kDiet:
      if (!u.diet) u.diet = ref.index;
      break;
  }
}

// Matches each answer entry against entities of `kinds`; entries that match none are returned.
std::vector<std::string> MatchAnswers(const KnowledgeBase& kb,
                                      const std::vector<std::string>& entries, KindMask kinds,
                                      Understanding& u) {
  std::vector<std::string> unknown;
  for (const std::string& entry : entries) {
    const MatchResult m = kb.matcher().Match(entry, kinds);
    // "no warfarina", "sin embarazo" in an answer are not taken or had.
    for (const TermMatch& match : m.matches)
      if (!match.negated) Record(match.ref, u);
    if (m.matches.empty()) unknown.push_back(entry);
  }
  return unknown;
}

Sex SexOf(const std::string& sex) {
  if (sex == "female") return Sex::kFemale;
  if (sex == "male") return Sex::kMale;
  return Sex::kAny;
}

}  // namespace

bool Understanding::Negated(std::uint32_t index) const {
  return std::any_of(negated.begin(), negated.end(), [&](const TermRef& r) {
    return r.kind == TermKind::kSupplement && r.index == index;
  });
}

bool Understanding::FormNegated(std::uint32_t index, std::uint32_t form) const {
  return std::find(negated.begin(), negated.end(), TermRef{TermKind::kForm, index, form}) !=
         negated.end();
}

std::optional<std::uint32_t> Understanding::FormFor(std::uint32_t index) const {
  for (const auto& [supplement, form] : forms)
    if (supplement == index) return form;
  return std::nullopt;
}

Understanding Understand(const KnowledgeBase& kb, const RecommendRequest& request) {
  Understanding u;
  if (!request.query.empty()) {
    const MatchResult m = kb.matcher().Match(request.query);
    for (const TermMatch& match : m.matches) {
      if (match.negated) {
        AddOnce(u.negated, match.ref);
        continue;
      }
      Record(match.ref, u);
      if (match.corrected) u.corrections.push_back({match.text, match.ref});
      // "hipertensión" in a search is both a safety fact and what the person wants help with.
      if (match.ref.kind == TermKind::kCondition) {
        if (const Goal* goal = kb.FindGoal(kb.conditions()[match.ref.index].goal))
          AddOnce(u.goals, static_cast<std::uint32_t>(goal - kb.goals().data()));
      }
    }
    u.unknown_words = m.unknown;
    u.query_matched_anything = !m.matches.empty();
  }
  if (request.answers) {
    const QuizAnswers& a = *request.answers;
    MatchAnswers(kb, a.goals, MaskOf(TermKind::kGoal), u);
    u.unknown_conditions = MatchAnswers(kb, a.conditions, MaskOf(TermKind::kCondition), u);
    u.unknown_medications =
        MatchAnswers(kb, a.medications, MaskOf(TermKind::kDrug) | MaskOf(TermKind::kDrugClass), u);
    if (!a.diet.empty()) {
      const MatchResult m = kb.matcher().Match(a.diet, MaskOf(TermKind::kDiet));
      if (!m.matches.empty()) u.diet = m.matches.front().ref.index;
    }
  }
  AddUnknownMedicines(kb.matcher(), request, u);

  Person& p = u.person;
  if (request.answers) {
    p.age = request.answers->age;
    p.sex = SexOf(request.answers->sex);
    p.pregnant = request.answers->pregnant;
    p.lactating = request.answers->lactating;
  }
  // In pregnancy or lactation a baby or a young child named is the baby, not the person
  // ("mi bebé de 3 meses" while breastfeeding; "embarazada de 3 meses").
  const bool stage =
      p.pregnant || p.lactating ||
      std::any_of(u.conditions.begin(), u.conditions.end(), [&](std::uint32_t c) {
        return kb.conditions()[c].id == "pregnancy" || kb.conditions()[c].id == "lactation";
      });
  // Who the query says it is for ("mi hijo de 6 años", "niños") wins over the quiz's age: the
  // query names the person the recommendation is about.
  if (!request.query.empty()) {
    const std::vector<std::string> tokens = FoldTokens(request.query);
    AgeMention said = ReadAge(tokens);
    if (stage && said.age && *said.age < 10) said.age.reset();
    if (stage && said.range && said.range->max < 10) said.range.reset();
    // The sex the query gives, when the quiz gives none; not in pregnancy or lactation, where a
    // son or a father named is someone else.
    if (const auto sex = ReadSex(tokens); sex && p.sex == Sex::kAny && !stage) p.sex = *sex;
    if (said.age) {
      p.age = said.age;
    } else if (said.range && !(p.age && *p.age >= said.range->min && *p.age <= said.range->max)) {
      p.age.reset();
      p.age_range = said.range;
    }
  }
  // The quiz's pregnant/lactating flags and the conditions of the same name are one fact.
  const auto condition_index = [&](std::string_view id) -> std::optional<std::uint32_t> {
    const Condition* c = kb.FindCondition(id);
    if (c == nullptr) return std::nullopt;
    return static_cast<std::uint32_t>(c - kb.conditions().data());
  };
  if (p.pregnant)
    if (auto i = condition_index("pregnancy")) AddOnce(u.conditions, *i);
  if (p.lactating)
    if (auto i = condition_index("lactation")) AddOnce(u.conditions, *i);
  for (std::uint32_t c : u.conditions) p.conditions.push_back(kb.conditions()[c].id);
  if (p.HasCondition("pregnancy")) p.pregnant = true;
  if (p.HasCondition("lactation")) p.lactating = true;
  for (std::uint32_t d : u.drugs) {
    p.drugs.push_back(kb.drugs()[d].id);
    for (const std::string& c : kb.drugs()[d].classes) AddOnce(p.drug_classes, c);
  }
  for (std::uint32_t c : u.drug_classes) AddOnce(p.drug_classes, kb.drug_classes()[c].id);
  if (u.diet) p.diet = kb.diets()[*u.diet].id;
  return u;
}

}  // namespace vitarec::recommend

#include "recommend/Candidates.h"

#include <algorithm>

namespace vitarec::recommend {
namespace {

constexpr int kNamedScore = 1000;
constexpr int kDietScore = 25;
constexpr int kConditionScore = 35;

Candidate& FindOrAdd(std::vector<Candidate>& list, std::uint32_t supplement) {
  for (Candidate& c : list)
    if (c.supplement == supplement) return c;
  list.push_back(Candidate{});
  list.back().supplement = supplement;
  return list.back();
}

}  // namespace

int GradePoints(char grade) {
  switch (grade) {
    case 'A':
      return 40;
    case 'B':
      return 30;
    case 'C':
      return 20;
    default:
      return 10;
  }
}

std::vector<Candidate> GatherCandidates(const KnowledgeBase& kb, const Understanding& u,
                                        const CandidateOptions& options) {
  const auto& supplements = kb.supplements();
  std::vector<Candidate> out;
  for (std::size_t i = 0; i < u.supplements.size(); ++i) {
    Candidate& c = FindOrAdd(out, u.supplements[i]);
    c.named = true;
    c.form = u.FormFor(u.supplements[i]);
    c.score += kNamedScore - static_cast<int>(i);  // first named first
  }

  // Goals: the best graded supplements for each goal asked about.
  std::size_t alternatives = 0;
  for (std::uint32_t goal_index : u.goals) {
    const std::string& goal = kb.goals()[goal_index].id;
    std::vector<std::pair<const Evidence*, std::uint32_t>> graded;
    // Evidence about other people (iron for tiredness in women who menstruate) does not bring
    // the supplement to this person.
    for (std::uint32_t s = 0; s < supplements.size(); ++s)
      for (const Evidence& e : supplements[s].evidence)
        if (e.goal == goal && MayBelongTo(u.person, e.who)) graded.emplace_back(&e, s);
    std::stable_sort(graded.begin(), graded.end(),
                     [](const auto& a, const auto& b) { return a.first->grade < b.first->grade; });
    // Weak (D) evidence is offered for a goal only when nothing better exists for it.
    const bool has_better = !graded.empty() && graded.front().first->grade < 'D';
    std::size_t taken = 0;
    for (const auto& graded_entry : graded) {
      const Evidence* evidence = graded_entry.first;
      const std::uint32_t s = graded_entry.second;
      if (has_better && evidence->grade == 'D' &&
          std::none_of(out.begin(), out.end(),
                       [&](const Candidate& c) { return c.supplement == s; }))
        continue;
      const bool already = std::any_of(out.begin(), out.end(),
                                       [&](const Candidate& c) { return c.supplement == s; });
      if (!already) {
        if (taken >= options.max_per_goal) continue;
        if (!u.supplements.empty() && alternatives >= options.max_alternatives) continue;
        if (!u.supplements.empty()) ++alternatives;
      }
      ++taken;
      Candidate& c = FindOrAdd(out, s);
      c.goal_evidence.push_back(evidence);
      c.score += GradePoints(evidence->grade);
    }
  }

  // Diet and conditions: supplements commonly needed by people in them.
  // The data lists suggestions most important first; each later one scores a point less.
  const auto suggest = [&](const std::vector<Suggestion>& suggestions, int points) {
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
      const Suggestion& s = suggestions[i];
      Candidate& c = FindOrAdd(
          out, static_cast<std::uint32_t>(kb.FindSupplement(s.supplement) - supplements.data()));
      c.suggested_because.push_back(&s.reason);
      c.score += points - static_cast<int>(i);
    }
  };
  if (u.diet) suggest(kb.diets()[*u.diet].suggests, kDietScore);
  for (std::uint32_t c : u.conditions) suggest(kb.conditions()[c].suggests, kConditionScore);

  // A form made for the person (a prenatal in pregnancy) when the query named none, and never
  // a form the query asked to leave out.
  for (Candidate& c : out) {
    const auto& forms = supplements[c.supplement].forms;
    for (std::uint32_t f = 0; f < forms.size() && !c.form; ++f)
      if (SurelyBelongsTo(u.person, forms[f].made_for) && !u.FormNegated(c.supplement, f))
        c.form = f;
    for (std::uint32_t f = 0; f < forms.size() && u.FormNegated(c.supplement, c.form.value_or(0));
         ++f)
      c.form = f;
  }

  // What the query asked to leave out ("sin cafeína"): the supplement itself, and a product
  // that contains it unless the query named that product.
  std::erase_if(out, [&](const Candidate& c) {
    if (u.Negated(c.supplement)) return true;
    if (c.named) return false;
    const Supplement& s = supplements[c.supplement];
    return std::any_of(s.forms[c.form.value_or(0)].contains.begin(),
                       s.forms[c.form.value_or(0)].contains.end(), [&](const Content& content) {
                         const Supplement* inner = kb.FindSupplement(content.supplement);
                         return inner != nullptr &&
                                u.Negated(static_cast<std::uint32_t>(inner - supplements.data()));
                       });
  });

  for (Candidate& c : out) {
    std::stable_sort(c.goal_evidence.begin(), c.goal_evidence.end(),
                     [](const Evidence* a, const Evidence* b) { return a->grade < b->grade; });
  }
  std::stable_sort(out.begin(), out.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return supplements[a.supplement].id < supplements[b.supplement].id;
  });
  return out;
}

}  // namespace vitarec::recommend

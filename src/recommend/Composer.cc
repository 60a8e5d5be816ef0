#include "recommend/Composer.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "recommend/MedicationNotes.h"
#include "recommend/Phrases.h"
#include "recommend/UpperLimit.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;

// Searches offered when nothing better is known, as (kind, id).
constexpr std::pair<TermKind, std::string_view> kPopular[] = {
    {TermKind::kGoal, "sleep"},           {TermKind::kSupplement, "magnesium"},
    {TermKind::kSupplement, "vitamin_d"}, {TermKind::kGoal, "energy"},
    {TermKind::kSupplement, "omega_3"},
};

json::object Named(const std::string& id, const std::string& name) {
  return json::object{{"id", id}, {"name", name}};
}

json::object Matched(const KnowledgeBase& kb, const Understanding& u, std::string_view locale) {
  json::array supplements, forms, goals, conditions, medications, corrections, negated;
  for (auto i : u.supplements) supplements.emplace_back(kb.supplements()[i].id);
  for (auto [s, f] : u.forms)
    forms.emplace_back(json::object{{"supplement", kb.supplements()[s].id},
                                    {"form", kb.supplements()[s].forms[f].id}});
  for (auto i : u.goals) goals.emplace_back(kb.goals()[i].id);
  for (auto i : u.conditions) conditions.emplace_back(kb.conditions()[i].id);
  for (auto i : u.drugs) medications.emplace_back(kb.drugs()[i].id);
  for (auto i : u.drug_classes) medications.emplace_back(kb.drug_classes()[i].id);
  // What a typo was read as, by the entity's display name («sueño», never the folded "sueno").
  for (const Understanding::Correction& c : u.corrections) {
    const std::string& to = c.to.kind == TermKind::kForm
                                ? kb.supplements()[c.to.index].forms[c.to.sub].name.In(locale)
                                : kb.NameOf(c.to).In(locale);
    corrections.emplace_back(json::object{{"from", c.from}, {"to", to}});
  }
  json::array negated_forms;
  for (const TermRef& ref : u.negated) {
    if (ref.kind != TermKind::kForm) {
      negated.emplace_back(kb.IdOf(ref));
      continue;
    }
    negated_forms.emplace_back(
        json::object{{"supplement", kb.supplements()[ref.index].id},
                     {"form", kb.supplements()[ref.index].forms[ref.sub].id}});
  }
  json::array unknown;
  for (const auto& w : u.unknown_words) unknown.emplace_back(w);
  json::object out;
  out["supplements"] = std::move(supplements);
  out["forms"] = std::move(forms);
  out["goals"] = std::move(goals);
  out["conditions"] = std::move(conditions);
  out["medications"] = std::move(medications);
  out["diet"] = u.diet ? json::value(kb.diets()[*u.diet].id) : json::value(nullptr);
  out["corrections"] = std::move(corrections);
  out["negated"] = std::move(negated);
  out["negated_forms"] = std::move(negated_forms);
  out["unknown"] = std::move(unknown);
  return out;
}

// The warning text of one safety flag.
std::string FlagText(const SafetyFlag& f, const std::string& supplement, std::string_view locale) {
  if (auto text = MedicationFlagText(f, supplement, locale)) return *std::move(text);
  const std::string condition = f.condition_name ? f.condition_name->In(locale) : "";
  // A rule of a nutrient a product carries names the product and the nutrient.
  if (f.content_name != nullptr && f.product_name != nullptr && f.contraindication != nullptr)
    return phrases::Capitalized(phrases::ConditionRule(
        f.action,
        phrases::WhichContains(f.product_name->In(locale), f.content_name->In(locale), locale),
        condition, f.contraindication->note.In(locale), locale));
  if (f.contraindication == nullptr)
    return phrases::Capitalized(phrases::NoSafetyData(supplement, condition, locale));
  return phrases::Capitalized(phrases::ConditionRule(f.action, supplement, condition,
                                                     f.contraindication->note.In(locale), locale));
}

json::object Item(const KnowledgeBase& kb, const Candidate& c, const Understanding& u,
                  std::string_view locale) {
  const Person& person = u.person;
  const Supplement& s = kb.supplements()[c.supplement];
  const std::string& name = s.name.In(locale);
  const Form& form = s.forms[c.form.value_or(0)];
  json::object item;
  item["supplement"] = Named(s.id, name);
  item["form"] = form.name.In(locale);

  json::object dose{{"amount", c.dose.amount},
                    {"unit", phrases::UnitText(s.dose.unit, locale)},
                    {"frequency", phrases::FrequencyText(s.dose.frequency, locale)}};
  if (form.ul) {
    // A form with its own limit (nicotinic acid, beta-carotene) has its own note.
    if (c.dose.upper_limit) dose["upper_limit"] = *c.dose.upper_limit;
    if (form.ul_note) dose["note"] = form.ul_note->In(locale);
  } else if (c.dose.upper_limit) {
    AddUpperLimit(s, person, *c.dose.upper_limit, locale, dose);
  } else if (s.ul_note) {
    dose["note"] = s.ul_note->In(locale);
  }
  item["dose"] = std::move(dose);
  item["timing"] = s.timing.In(locale);

  // The evidence for a goal asked about, else the best graded one.
  const Evidence* evidence = c.goal_evidence.empty() ? nullptr : c.goal_evidence.front();
  if (evidence == nullptr) {
    for (const Evidence& e : s.evidence)
      if (evidence == nullptr || e.grade < evidence->grade) evidence = &e;
  }
  const Goal* goal = kb.FindGoal(evidence->goal);
  item["evidence"] = json::object{{"grade", std::string(1, evidence->grade)},
                                  {"goal", evidence->goal},
                                  {"goal_name", goal ? goal->name.In(locale) : evidence->goal},
                                  {"summary", evidence->summary.In(locale)}};

  json::array reasons;
  if (c.named) reasons.emplace_back(phrases::YouAskedForIt(locale));
  for (const Evidence* e : c.goal_evidence) {
    const Goal* g = kb.FindGoal(e->goal);
    reasons.emplace_back(phrases::HelpsWith(g ? g->name.In(locale) : e->goal, e->grade, locale));
  }
  for (const LocalizedText* why : c.suggested_because) reasons.emplace_back(why->In(locale));
  reasons.emplace_back(phrases::FormNote(form.name.In(locale), form.notes.In(locale), locale));
  if (auto rda = ReferenceIntakeFor(s, person))
    reasons.emplace_back(phrases::ReferenceIntake(rda->low, rda->high, s.dose.unit, locale));
  item["reasons"] = std::move(reasons);

  json::array warnings, interactions;
  for (const SafetyFlag& f : c.flags) {
    warnings.emplace_back(FlagText(f, name, locale));
    if (f.interaction != nullptr) interactions.emplace_back(InteractionJson(f, locale));
  }
  // What the goals asked about need said whenever this item is offered for them.
  for (const Evidence& e : s.evidence) {
    if (!e.caution) continue;
    const bool asked = std::any_of(u.goals.begin(), u.goals.end(),
                                   [&](std::uint32_t g) { return kb.goals()[g].id == e.goal; });
    if (asked) warnings.emplace_back(e.caution->In(locale));
  }
  for (const LocalizedText& note : c.combined_notes) warnings.emplace_back(note.In(locale));
  for (const Content& content : form.contains) {
    const Supplement* inner = kb.FindSupplement(content.supplement);
    if (inner != nullptr && u.Negated(static_cast<std::uint32_t>(inner - kb.supplements().data())))
      warnings.emplace_back(phrases::ChooseOneWithout(inner->name.In(locale), locale));
  }
  if (c.dose.capped && c.dose.upper_limit)
    warnings.emplace_back(phrases::DoseCapped(*c.dose.upper_limit, s.dose.unit, locale));
  if (person.MayBeMinor()) warnings.emplace_back(phrases::MinorAskPaediatrician(locale));
  item["warnings"] = std::move(warnings);
  item["interactions"] = std::move(interactions);

  json::array sources;
  for (const Source& src : s.sources)
    sources.emplace_back(json::object{{"title", src.title}, {"url", src.url}});
  item["sources"] = std::move(sources);
  return item;
}

// Why an excluded candidate was left out, in one line.
std::string ExclusionText(const Candidate& c, const std::string& name, std::string_view locale) {
  if (c.exclusion_reason) return phrases::Capitalized(c.exclusion_reason->In(locale));
  const SafetyFlag& f = c.flags.front();
  return FlagText(f, name, locale);
}

}  // namespace

json::object Compose(const KnowledgeBase& kb, const RecommendRequest& request,
                     const Understanding& u, const std::vector<Candidate>& candidates,
                     const ComposeOptions& options) {
  const std::string_view locale = request.locale == "en" ? "en" : "es";
  json::object out;
  out["query"] = request.query;
  out["locale"] = std::string(locale);
  out["matched"] = Matched(kb, u, locale);

  json::array items, excluded, warnings, suggestions;
  for (const Candidate& c : candidates) {
    const Supplement& s = kb.supplements()[c.supplement];
    if (c.excluded) {
      const std::string reason = ExclusionText(c, s.name.In(locale), locale);
      excluded.emplace_back(
          json::object{{"supplement", Named(s.id, s.name.In(locale))}, {"reason", reason}});
      warnings.emplace_back(phrases::Excluded(s.name.In(locale), reason, locale));
      continue;
    }
    if (items.size() < options.max_items) items.emplace_back(Item(kb, c, u, locale));
  }
  for (const TermRef& ref : u.negated) {
    if (ref.kind != TermKind::kSupplement) continue;
    const Supplement& s = kb.supplements()[ref.index];
    const bool listed = std::any_of(excluded.begin(), excluded.end(), [&](const json::value& v) {
      return v.at("supplement").at("id").as_string() == s.id;
    });
    if (!listed)
      excluded.emplace_back(
          json::object{{"supplement", Named(s.id, s.name.In(locale))},
                       {"reason", phrases::Capitalized(phrases::LeftOutAsAsked(locale))}});
  }
  if (u.person.pregnant || u.person.lactating)
    warnings.emplace_back(phrases::PregnancyGeneral(locale));
  if (u.person.MayBeMinor()) warnings.emplace_back(phrases::MinorAskPaediatrician(locale));
  for (const std::string& m : u.unknown_medications)
    warnings.emplace_back(UnknownMedicineWarning(kb, m, candidates, locale));
  for (const std::string& m : u.unknown_conditions)
    warnings.emplace_back(phrases::UnknownCondition(m, locale));
  if (u.supplements.empty() && u.goals.empty()) AddInteractionSummaries(kb, u, locale, warnings);

  if (items.empty() && candidates.empty()) {
    const bool named_something =
        !u.drugs.empty() || !u.drug_classes.empty() || !u.conditions.empty();
    std::vector<TermRef> refs;
    if (!u.unknown_words.empty())
      refs = kb.matcher().Suggest(
          u.unknown_words, options.max_suggestions,
          MaskOf(TermKind::kSupplement) | MaskOf(TermKind::kForm) | MaskOf(TermKind::kGoal));
    if (!refs.empty()) {
      out["message"] = phrases::DidYouMean(request.query, locale);
    } else {
      out["message"] =
          named_something ? phrases::OnlySafetyTerms(locale) : phrases::TryThese(locale);
      for (const auto& [kind, id] : kPopular) {
        if (kind == TermKind::kGoal) {
          if (const Goal* g = kb.FindGoal(id))
            refs.push_back({kind, static_cast<std::uint32_t>(g - kb.goals().data()), 0});
        } else if (const Supplement* s = kb.FindSupplement(id)) {
          refs.push_back({kind, static_cast<std::uint32_t>(s - kb.supplements().data()), 0});
        }
      }
    }
    for (const TermRef& ref : refs) {
      std::string label = kb.NameOf(ref).In(locale);
      if (ref.kind == TermKind::kForm) label = kb.supplements()[ref.index].name.In(locale);
      const bool seen = std::any_of(suggestions.begin(), suggestions.end(),
                                    [&](const json::value& v) { return v.as_string() == label; });
      if (!seen && suggestions.size() < options.max_suggestions) suggestions.emplace_back(label);
    }
  }
  out["items"] = std::move(items);
  out["excluded"] = std::move(excluded);
  out["warnings"] = std::move(warnings);
  out["suggestions"] = std::move(suggestions);
  out["disclaimer"] = phrases::Disclaimer(locale);
  return out;
}

}  // namespace vitarec::recommend

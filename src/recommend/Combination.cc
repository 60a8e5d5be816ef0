#include "recommend/Combination.h"

#include <algorithm>
#include <optional>
#include <string>

#include "recommend/Phrases.h"

namespace vitarec::recommend {
namespace {

// One product's share of one nutrient, per day.
struct Share {
  Candidate* product = nullptr;
  const Content* content = nullptr;
  int per_day = 0;
  bool counts = true;  // false for a contained form with no upper limit (beta-carotene)
};

template <typename F>
LocalizedText BothLocales(F&& text) {
  return LocalizedText{text("es"), text("en")};
}

// Whether the form `form_id` of `s` is declared to have no upper limit of its own.
bool FormWithoutLimit(const Supplement& s, std::string_view form_id) {
  for (const Form& f : s.forms)
    if (f.id == form_id) return f.ul && f.ul->empty();
  return false;
}

int PerDay(const Supplement& s, const Candidate& c) {
  const Form& form = s.forms[c.form.value_or(0)];
  const Dose& dose = form.dose ? *form.dose : s.dose;
  return c.dose.amount * IntakesPerDay(dose.frequency);
}

std::string ContentsText(const KnowledgeBase& kb, const std::vector<Share>& shares,
                         std::string_view locale) {
  std::string out;
  for (const Share& share : shares) {
    const Supplement* n = kb.FindSupplement(share.content->supplement);
    if (n == nullptr) continue;
    if (!out.empty()) out += ", ";
    const std::string name = n->name.In(locale);
    out += std::to_string(share.per_day) + " " + phrases::UnitText(n->dose.unit, locale) +
           (locale == "en" ? " of " + name : " de " + phrases::Lowered(name));
  }
  return out;
}

void SortFlags(Candidate& c) {
  std::stable_sort(c.flags.begin(), c.flags.end(), [](const SafetyFlag& a, const SafetyFlag& b) {
    return static_cast<int>(a.action) > static_cast<int>(b.action);
  });
  if (!c.excluded && !c.flags.empty() && c.flags.front().action == SafetyAction::kAvoid)
    c.excluded = true;
}

}  // namespace

void AddUpItems(const KnowledgeBase& kb, const Understanding& u, std::vector<Candidate>& candidates,
                std::size_t max_items) {
  const auto& supplements = kb.supplements();
  std::vector<Candidate*> shown;
  for (Candidate& c : candidates)
    if (!c.excluded && shown.size() < max_items) shown.push_back(&c);

  // Shares of every contained nutrient, by nutrient index.
  std::vector<std::pair<std::uint32_t, std::vector<Share>>> by_nutrient;
  for (Candidate* product : shown) {
    const Supplement& s = supplements[product->supplement];
    const Form& form = s.forms[product->form.value_or(0)];
    if (form.contains.empty()) continue;
    const Dose& typical = form.dose ? *form.dose : s.dose;
    std::vector<Share> own;
    for (const Content& content : form.contains) {
      const Supplement* n = kb.FindSupplement(content.supplement);
      if (n == nullptr) continue;
      const auto index = static_cast<std::uint32_t>(n - supplements.data());
      // The contents are given for the typical amount; a personal dose scales them.
      const int per_intake = content.amount * product->dose.amount / std::max(1, typical.amount);
      Share share{product, &content, per_intake * IntakesPerDay(typical.frequency),
                  !FormWithoutLimit(*n, content.form)};
      own.push_back(share);
      auto it = std::find_if(by_nutrient.begin(), by_nutrient.end(),
                             [&](const auto& e) { return e.first == index; });
      if (it == by_nutrient.end()) {
        by_nutrient.emplace_back(index, std::vector<Share>{share});
      } else {
        it->second.push_back(share);
      }
      // The nutrient's pregnancy and lactation rules travel with it.
      for (const Contraindication& rule : n->contraindications) {
        if ((rule.condition != "pregnancy" && rule.condition != "lactation") ||
            !u.person.HasCondition(rule.condition))
          continue;
        SafetyFlag flag;
        flag.action = rule.action;
        flag.contraindication = &rule;
        flag.content_name = &n->name;
        flag.product_name = &form.name;
        if (const Condition* cond = kb.FindCondition(rule.condition))
          flag.condition_name = &cond->name;
        product->flags.push_back(flag);
      }
    }
    product->combined_notes.push_back(BothLocales([&](std::string_view locale) {
      return phrases::Carries(form.name.In(locale), ContentsText(kb, own, locale), locale);
    }));
    SortFlags(*product);
  }

  for (const auto& [index, shares] : by_nutrient) {
    const Supplement& n = supplements[index];
    Candidate* single = nullptr;
    for (Candidate* c : shown)
      if (c->supplement == index && !c->excluded) single = c;
    int contained = 0;
    std::string products_es, products_en;
    std::optional<std::uint32_t> counted_form;
    for (const Share& share : shares) {
      if (!share.counts || share.product->excluded) continue;
      contained += share.per_day;
      const Form& p = supplements[share.product->supplement].forms[share.product->form.value_or(0)];
      products_es += (products_es.empty() ? "" : ", ") + phrases::Lowered(p.name.es);
      products_en += (products_en.empty() ? "" : ", ") + p.name.en;
    }
    if (contained == 0) continue;
    const bool single_counts =
        single != nullptr && !FormWithoutLimit(n, n.forms[single->form.value_or(0)].id);
    if (single_counts) counted_form = single->form;
    const std::optional<int> ul = UpperLimitFor(n, u.person, counted_form);
    if (single_counts) {
      const Candidate& first = *shares.front().product;
      const Form& product = supplements[first.supplement].forms[first.form.value_or(0)];
      const int intakes = IntakesPerDay(n.forms[single->form.value_or(0)].dose
                                            ? n.forms[single->form.value_or(0)].dose->frequency
                                            : n.dose.frequency);
      if (ul && contained + PerDay(n, *single) > *ul) {
        const int allowed = (*ul - contained) / intakes;
        if (allowed < 1) {
          single->excluded = true;
          single->exclusion_reason = BothLocales([&](std::string_view locale) {
            return phrases::AlreadyCovered(product.name.In(locale), locale);
          });
          continue;
        }
        single->dose.amount = allowed;
        single->dose.capped = true;
        single->dose.upper_limit = *ul;
      }
      const int total = contained + PerDay(n, *single);
      single->combined_notes.push_back(BothLocales([&](std::string_view locale) {
        return phrases::AlsoIn(n.name.In(locale), product.name.In(locale), contained, total, ul,
                               n.dose.unit, locale);
      }));
    } else if (ul && contained > *ul && shares.size() > 1) {
      for (const Share& share : shares)
        share.product->combined_notes.push_back(BothLocales([&](std::string_view locale) {
          return phrases::SumAboveLimit(n.name.In(locale),
                                        locale == "en" ? products_en : products_es, contained, *ul,
                                        n.dose.unit, locale);
        }));
    }
  }
}

}  // namespace vitarec::recommend

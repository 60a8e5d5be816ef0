#include "llm/Grounding.h"

#include <boost/json/value.hpp>

#include "llm/Sentences.h"

namespace vitarec::llm {
namespace {

namespace json = boost::json;

// Calls `f` with every string inside `v`, at any depth.
template <typename F>
void EachString(const json::value& v, F&& f) {
  if (v.is_string()) {
    f(std::string_view(v.get_string()));
  } else if (v.is_array()) {
    for (const json::value& e : v.get_array()) EachString(e, f);
  } else if (v.is_object()) {
    for (const auto& member : v.get_object()) EachString(member.value(), f);
  }
}

void AddAmounts(std::string_view text, std::string_view locale, std::vector<Amount>& out) {
  for (const Amount& a : FindAmounts(text, locale)) out.push_back(a);
}

// The dose of an item written as the card shows it ("400 mg"), read back by FindAmounts.
void AddDose(const json::object& dose, std::string_view locale, std::vector<Amount>& out) {
  const json::value* unit = dose.if_contains("unit");
  if (unit == nullptr || !unit->is_string()) return;
  for (const char* key : {"amount", "upper_limit"}) {
    const json::value* amount = dose.if_contains(key);
    if (amount == nullptr || !amount->is_number()) continue;
    AddAmounts(
        std::to_string(amount->to_number<long long>()) + " " + std::string(unit->get_string()),
        locale, out);
  }
}

}  // namespace

GroundingFacts FactsOf(const json::object& recommendation, const SupplementNames& names) {
  GroundingFacts facts;
  const json::value* locale = recommendation.if_contains("locale");
  facts.locale = locale && locale->is_string() && locale->get_string() == "en" ? "en" : "es";
  if (const json::value* items = recommendation.if_contains("items"); items && items->is_array()) {
    for (const json::value& v : items->get_array()) {
      if (!v.is_object()) continue;
      const json::object& item = v.get_object();
      std::string id;
      if (const json::value* s = item.if_contains("supplement"); s && s->is_object()) {
        if (const json::value* v = s->get_object().if_contains("id"); v && v->is_string())
          id = std::string(v->get_string());
      }
      if (id.empty()) continue;
      facts.supplements.insert(id);
      std::vector<Amount>& own = facts.item_amounts[id];
      if (const json::value* dose = item.if_contains("dose"); dose && dose->is_object())
        AddDose(dose->get_object(), facts.locale, own);
      for (const auto& member : item) {
        if (member.key() == "sources") continue;  // titles and URLs, not advice
        EachString(member.value(), [&](std::string_view text) {
          AddAmounts(text, facts.locale, own);
          for (const recommend::Supplement* s : names.Find(text)) facts.supplements.insert(s->id);
        });
      }
      facts.amounts.insert(facts.amounts.end(), own.begin(), own.end());
    }
  }
  if (const json::value* excluded = recommendation.if_contains("excluded"); excluded) {
    EachString(*excluded,
               [&](std::string_view text) { AddAmounts(text, facts.locale, facts.amounts); });
  }
  return facts;
}

std::optional<Inconsistency> FindInconsistency(std::string_view text, const GroundingFacts& facts,
                                               const SupplementNames& names) {
  std::vector<std::size_t> ends = CheckedSentenceEnds(text);
  ends.push_back(text.size());
  std::size_t begin = 0;
  for (std::size_t end : ends) {
    const std::string_view sentence = text.substr(begin, end - begin);
    begin = end;
    const std::vector<Amount>* allowed = &facts.amounts;
    const std::vector<Amount>* only = nullptr;  // the amounts of the one item named
    bool several = false;
    for (const recommend::Supplement* s : names.Find(sentence)) {
      if (!facts.supplements.contains(s->id))
        return Inconsistency{Inconsistency::Kind::kSupplement, s->id};
      const auto own = facts.item_amounts.find(s->id);
      if (own == facts.item_amounts.end() || &own->second == only) continue;
      several = several || only != nullptr;
      only = &own->second;
    }
    if (only != nullptr && !several) allowed = only;
    for (const Amount& a : FindAmounts(sentence, facts.locale)) {
      bool known = false;
      for (const Amount& f : *allowed) known = known || SameAmount(a, f);
      if (!known) {
        return Inconsistency{Inconsistency::Kind::kAmount,
                             std::string(sentence.substr(a.begin, a.end - a.begin))};
      }
    }
  }
  return std::nullopt;
}

}  // namespace vitarec::llm

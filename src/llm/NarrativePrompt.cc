#include "llm/NarrativePrompt.h"

#include <boost/json/value.hpp>

namespace vitarec::llm {
namespace {

namespace json = boost::json;
using Values = std::map<std::string, std::string, std::less<>>;

std::string Str(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_number()) return std::to_string(v->to_number<long long>());
  return "";
}

const json::object& Obj(const json::object& obj, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = obj.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

std::vector<std::string> Strings(const json::object& obj, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = obj.if_contains(key); v && v->is_array())
    for (const json::value& e : v->get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

std::string Join(const std::vector<std::string>& parts, const std::string& none) {
  if (parts.empty()) return none;
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += out.back() == '.' ? " " : "; ";
    out += p;
  }
  return out;
}

// The query on one line, control characters dropped, at most 200 bytes cut on a UTF-8 boundary.
std::string Quoted(std::string_view query) {
  std::string out;
  for (char c : query) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (out.size() > 200) {
    std::size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

std::string Item(const PromptTemplate& prompt, const json::object& item, std::size_t number,
                 const std::string& none) {
  const json::object& dose = Obj(item, "dose");
  Values v;
  v["number"] = std::to_string(number);
  v["name"] = Str(Obj(item, "supplement"), "name");
  v["form"] = Str(item, "form");
  v["amount"] = Str(dose, "amount");
  v["unit"] = Str(dose, "unit");
  v["frequency"] = Str(dose, "frequency");
  if (dose.contains("upper_limit"))
    v["upper_limit"] = prompt.Fill(
        "upper_limit", {{"upper_limit", Str(dose, "upper_limit")}, {"unit", v["unit"]}});
  v["timing"] = Str(item, "timing");
  const json::object& evidence = Obj(item, "evidence");
  v["grade"] = Str(evidence, "grade");
  v["goal"] = Str(evidence, "goal_name");
  v["evidence"] = Str(evidence, "summary");
  v["reasons"] = Join(Strings(item, "reasons"), none);
  std::vector<std::string> warnings = Strings(item, "warnings");
  if (const std::string note = Str(dose, "note"); !note.empty()) warnings.push_back(note);
  v["warnings"] = Join(warnings, none);
  std::vector<std::string> interactions;
  if (const json::value* list = item.if_contains("interactions"); list && list->is_array()) {
    for (const json::value& x : list->get_array()) {
      if (!x.is_object()) continue;
      interactions.push_back(prompt.Fill("interaction", {{"name", Str(x.get_object(), "name")},
                                                         {"note", Str(x.get_object(), "note")}}));
    }
  }
  v["interactions"] = Join(interactions, none);
  return prompt.Fill("item", v);
}

}  // namespace

std::vector<ChatMessage> NarrativePrompt::Messages() const {
  return {{"system", system}, {"user", user}};
}

NarrativePrompt BuildNarrativePrompt(const PromptTemplate& prompt,
                                     const json::object& recommendation,
                                     const GroundingFacts& facts, const SupplementNames& names) {
  const std::string none = prompt.Fill("none", {});
  std::string items;
  std::size_t number = 0;
  if (const json::value* list = recommendation.if_contains("items"); list && list->is_array()) {
    for (const json::value& item : list->get_array()) {
      if (!item.is_object()) continue;
      items += (items.empty() ? "" : "\n") + Item(prompt, item.get_object(), ++number, none);
    }
  }
  std::string warnings;
  for (const std::string& w : Strings(recommendation, "warnings")) {
    if (FindInconsistency(w, facts, names)) continue;  // names or amounts the model may not use
    warnings += (warnings.empty() ? "" : "\n") + prompt.Fill("warning", {{"text", w}});
  }
  NarrativePrompt out;
  out.system = prompt.Fill("system", {});
  out.user = prompt.Fill("user", {{"query", Quoted(Str(recommendation, "query"))},
                                  {"items", items.empty() ? none : items},
                                  {"warnings", warnings.empty() ? none : warnings},
                                  {"disclaimer", Str(recommendation, "disclaimer")}});
  return out;
}

}  // namespace vitarec::llm

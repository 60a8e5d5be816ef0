#include "cli/RecommendationText.h"

#include <boost/json/object.hpp>

namespace vitarec::cli {
namespace {

namespace json = boost::json;

std::string Text(const json::value* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_double()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v->get_double());
    return buf;
  }
  return {};
}

std::string Field(const json::object& o, std::string_view key) { return Text(o.if_contains(key)); }

// Lines of a list of strings or of objects with a "text"/"message"/"title" member.
void AppendList(std::string& out, const json::object& o, std::string_view key,
                std::string_view label) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array() || v->get_array().empty()) return;
  out += "    ";
  out += label;
  out += ":\n";
  for (const json::value& item : v->get_array()) {
    std::string line;
    if (item.is_string()) {
      line = std::string(item.get_string());
    } else if (item.is_object()) {
      const json::object& io = item.get_object();
      for (const char* k : {"text", "message", "title", "summary"}) {
        line = Field(io, k);
        if (!line.empty()) break;
      }
      if (const std::string url = Field(io, "url"); !url.empty()) line += " <" + url + ">";
    }
    if (!line.empty()) out += "      - " + line + "\n";
  }
}

}  // namespace

std::string RecommendationText(const json::value& recommendation) {
  if (!recommendation.is_object()) return "(no recommendation)\n";
  const json::object& r = recommendation.get_object();
  const bool en = Field(r, "locale") == "en";
  std::string out;
  const json::value* items = r.if_contains("items");
  if (items == nullptr || !items->is_array() || items->get_array().empty()) {
    const json::value* left_out = r.if_contains("excluded");
    if (left_out != nullptr && left_out->is_array() && !left_out->get_array().empty()) {
      out += en ? "No supplement suits this case: see the warnings.\n"
                : "Ningún suplemento es adecuado en tu caso: mira las advertencias.\n";
    } else {
      out += en ? "No supplement matched your query.\n"
                : "Ningún suplemento coincide con tu consulta.\n";
    }
    if (const json::value* s = r.if_contains("suggestions");
        s && s->is_array() && !s->get_array().empty()) {
      out += en ? "Did you mean: " : "¿Querías decir: ";
      bool first = true;
      for (const json::value& v : s->get_array()) {
        std::string t = v.is_object() ? Field(v.get_object(), "name") : Text(&v);
        if (t.empty()) continue;
        if (!first) out += ", ";
        out += t;
        first = false;
      }
      out += en ? "?\n" : "?\n";
    }
  } else {
    int rank = 1;
    for (const json::value& item_v : items->get_array()) {
      if (!item_v.is_object()) continue;
      const json::object& item = item_v.get_object();
      std::string name;
      if (const json::value* s = item.if_contains("supplement"); s && s->is_object())
        name = Field(s->get_object(), "name");
      out += std::to_string(rank++) + ". " + name;
      if (const std::string form = Field(item, "form"); !form.empty()) out += " (" + form + ")";
      out += "\n";
      if (const json::value* d = item.if_contains("dose"); d && d->is_object()) {
        const json::object& dose = d->get_object();
        out += std::string("    ") + (en ? "Dose: " : "Dosis: ") + Field(dose, "amount") + " " +
               Field(dose, "unit");
        if (const std::string f = Field(dose, "frequency"); !f.empty()) out += ", " + f;
        out += "\n";
      }
      if (const std::string t = Field(item, "timing"); !t.empty())
        out += std::string("    ") + (en ? "When: " : "Cuándo: ") + t + "\n";
      if (const json::value* e = item.if_contains("evidence"); e && e->is_object()) {
        out += std::string("    ") + (en ? "Evidence: " : "Evidencia: ") +
               Field(e->get_object(), "grade");
        if (const std::string s = Field(e->get_object(), "summary"); !s.empty()) out += " — " + s;
        out += "\n";
      }
      AppendList(out, item, "reasons", en ? "Why" : "Por qué");
      AppendList(out, item, "warnings", en ? "Warnings" : "Advertencias");
      AppendList(out, item, "interactions", en ? "Interactions" : "Interacciones");
      AppendList(out, item, "sources", en ? "Sources" : "Fuentes");
    }
  }
  if (const json::value* w = r.if_contains("warnings"); w && w->is_array()) {
    for (const json::value& v : w->get_array()) {
      std::string t = v.is_object() ? Field(v.get_object(), "text") : Text(&v);
      if (t.empty() && v.is_object()) t = Field(v.get_object(), "message");
      if (!t.empty()) out += (en ? "Warning: " : "Advertencia: ") + t + "\n";
    }
  }
  if (const std::string d = Field(r, "disclaimer"); !d.empty()) out += "\n" + d + "\n";
  return out;
}

}  // namespace vitarec::cli

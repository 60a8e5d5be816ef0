#include "llm/PromptTemplate.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "llm/EmbeddedPrompts.h"

namespace vitarec::llm {
namespace {

std::string Digest(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

const PromptTemplate::SectionSpec* FindSpec(std::string_view name) {
  for (const auto& spec : PromptTemplate::NarrativeSections())
    if (spec.name == name) return &spec;
  return nullptr;
}

}  // namespace

const std::vector<PromptTemplate::SectionSpec>& PromptTemplate::NarrativeSections() {
  static const std::vector<SectionSpec> kSections = {
      {"system", {}},
      {"user", {"query", "items", "warnings", "disclaimer"}},
      {"item",
       {"number", "name", "form", "amount", "unit", "frequency", "upper_limit", "timing", "grade",
        "goal", "evidence", "reasons", "warnings", "interactions"}},
      {"upper_limit", {"upper_limit", "unit"}},
      {"interaction", {"name", "note"}},
      {"warning", {"text"}},
      {"none", {}},
  };
  return kSections;
}

core::Result<PromptTemplate> PromptTemplate::Parse(std::string_view text, std::string_view file) {
  PromptTemplate t;
  t.digest_ = Digest(text);
  std::string current;
  int line_number = 0;
  auto bad = [&](const std::string& why) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      std::string(file) + ":" + std::to_string(line_number) + ": " + why);
  };
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '#') continue;
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      current = std::string(line.substr(1, line.size() - 2));
      if (FindSpec(current) == nullptr) return bad("unknown section [" + current + "]");
      if (t.sections_.contains(current)) return bad("section [" + current + "] repeated");
      t.sections_[current];
      continue;
    }
    if (current.empty()) {
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      return bad("text before the first [section]");
    }
    std::string& body = t.sections_[current];
    for (std::size_t at = line.find("{{"); at != std::string_view::npos;
         at = line.find("{{", at + 2)) {
      const std::size_t close = line.find("}}", at);
      if (close == std::string_view::npos) return bad("unclosed {{");
      const std::string_view key = line.substr(at + 2, close - at - 2);
      const auto& allowed = FindSpec(current)->placeholders;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        return bad("placeholder {{" + std::string(key) + "}} is not one of [" + current + "]'s");
    }
    body += std::string(line) + "\n";
  }
  for (auto& [name, body] : t.sections_)
    if (!body.empty() && body.back() == '\n') body.pop_back();
  for (const auto& spec : NarrativeSections()) {
    if (!t.sections_.contains(spec.name))
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        std::string(file) + ": section [" + std::string(spec.name) + "] missing");
  }
  return t;
}

core::Result<PromptTemplate> PromptTemplate::Embedded(std::string_view locale) {
  const std::string path =
      std::string("prompts/narrative.") + (locale == "en" ? "en" : "es") + ".txt";
  for (const core::EmbeddedFile& f : data::EmbeddedFiles())
    if (f.path == path) return Parse(f.content, "data/" + path);
  return core::Fail(core::ErrorCode::kNotFound, "data/" + path + " is not embedded");
}

std::string PromptTemplate::Fill(
    std::string_view section, const std::map<std::string, std::string, std::less<>>& values) const {
  const auto it = sections_.find(section);
  if (it == sections_.end()) return "";
  const std::string& text = it->second;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = text.find("{{", i);
    if (at == std::string::npos) break;
    const std::size_t close = text.find("}}", at);
    out.append(text, i, at - i);
    const auto value = values.find(std::string_view(text).substr(at + 2, close - at - 2));
    if (value != values.end()) out += value->second;
    i = close + 2;
  }
  out.append(text, std::min(i, text.size()));
  return out;
}

}  // namespace vitarec::llm

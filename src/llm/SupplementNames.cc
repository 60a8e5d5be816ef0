#include "llm/SupplementNames.h"

#include <algorithm>

#include "recommend/TextFold.h"

namespace vitarec::llm {

SupplementNames::SupplementNames(const recommend::KnowledgeBase& kb) : kb_(kb) {
  for (const recommend::Supplement& s : kb.supplements()) {
    Add(s.id, s);
    Add(s.name.es, s);
    Add(s.name.en, s);
    for (const std::string& alias : s.aliases) Add(alias, s);
    for (const recommend::Form& f : s.forms) {
      Add(f.name.es, s);
      Add(f.name.en, s);
      for (const std::string& alias : f.aliases) Add(alias, s);
    }
  }
  for (auto& [token, names] : by_first_token_) {
    std::stable_sort(names.begin(), names.end(), [](const Name& a, const Name& b) {
      return a.tokens.size() > b.tokens.size();
    });
  }
}

void SupplementNames::Add(std::string_view text, const recommend::Supplement& s) {
  std::vector<std::string> tokens = recommend::FoldTokens(text);
  if (tokens.empty()) return;
  std::vector<Name>& names = by_first_token_[tokens[0]];
  for (const Name& n : names)
    if (n.tokens == tokens) return;  // the first supplement to claim a name keeps it
  names.push_back(Name{std::move(tokens), &s});
}

std::vector<const recommend::Supplement*> SupplementNames::Find(std::string_view text) const {
  const std::vector<std::string> tokens = recommend::FoldTokens(text);
  std::vector<const recommend::Supplement*> out;
  std::size_t i = 0;
  while (i < tokens.size()) {
    const auto it = by_first_token_.find(tokens[i]);
    std::size_t matched = 0;
    if (it != by_first_token_.end()) {
      for (const Name& n : it->second) {
        if (n.tokens.size() > tokens.size() - i) continue;
        if (std::equal(n.tokens.begin(), n.tokens.end(), tokens.begin() + i)) {
          out.push_back(n.supplement);
          matched = n.tokens.size();
          break;
        }
      }
    }
    i += matched == 0 ? 1 : matched;
  }
  return out;
}

}  // namespace vitarec::llm

// Stage 10, understanding: what the query and the quiz answers refer to, and who the person is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "recommend/KnowledgeBase.h"
#include "recommend/Person.h"
#include "recommend/Request.h"

namespace vitarec::recommend {

struct Understanding {
  // Entities named, as positions in the knowledge base's lists, first mention first, no repeats.
  std::vector<std::uint32_t> supplements;  // named directly or through one of their forms
  std::vector<std::pair<std::uint32_t, std::uint32_t>> forms;  // (supplement, form) named
  std::vector<std::uint32_t> goals;                            // from the query and answers.goals
  std::vector<std::uint32_t> conditions;    // from the query and answers.conditions
  std::vector<std::uint32_t> drugs;         // from the query and answers.medications
  std::vector<std::uint32_t> drug_classes;  // named directly (not those implied by drugs)
  std::optional<std::uint32_t> diet;        // from answers.diet, else the query

  // Entities the query asked to leave out ("sin cafeína", "no tomo warfarina"): never counted
  // as named, taken or had. Negated supplements are kept out of the candidates.
  std::vector<TermRef> negated;

  Person person;
  // Typos fixed in the query: what was typed (folded) and the entity it was read as, shown by
  // its display name.
  struct Correction {
    std::string from;
    TermRef to;
  };
  std::vector<Correction> corrections;
  std::vector<std::string> unknown_words;  // query words that matched nothing
  // answers.medications entries not recognised, then query words that look like medicines
  // (MedicineWords.h)
  std::vector<std::string> unknown_medications;
  std::vector<std::string> unknown_conditions;  // answers.conditions entries not recognised
  bool query_matched_anything = false;

  // Whether the query asked to leave supplement `index` out (not just one of its forms).
  bool Negated(std::uint32_t index) const;
  // Whether the query asked to leave form `form` of supplement `index` out ("sin óxido").
  bool FormNegated(std::uint32_t index, std::uint32_t form) const;
  // The form named for supplement `index`, if any.
  std::optional<std::uint32_t> FormFor(std::uint32_t index) const;
};

// Reads the request against the knowledge base. Never fails: what is not understood is listed.
Understanding Understand(const KnowledgeBase& kb, const RecommendRequest& request);

}  // namespace vitarec::recommend

// The grounded prompt: the engine's result written into the locale's template
// (PromptTemplate.h), so the model explains the recommendation and nothing else. It carries each
// item's name, form, dose, frequency, upper limit, timing, evidence, reasons, warnings and
// interactions, the general warnings and the disclaimer; the system message tells the model not
// to add supplements, doses or medical claims (data/prompts/narrative.*.txt).
//
// Everything the prompt states is a fact the guardrail accepts: a general warning that names a
// supplement the narrative may not name, or an amount that is not a fact (they echo what the
// visitor typed), is left out. The visitor's query is quoted as context, on one line, at most
// 200 bytes (cut on a UTF-8 boundary), control characters removed.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "llm/ChatRequest.h"
#include "llm/Grounding.h"
#include "llm/PromptTemplate.h"

namespace vitarec::llm {

struct NarrativePrompt {
  std::string system;
  std::string user;

  // [{"system", system}, {"user", user}].
  std::vector<ChatMessage> Messages() const;
};

// `recommendation` as recommend::Compose builds it; `facts` = FactsOf(recommendation, names);
// `prompt` the template of the result's locale.
NarrativePrompt BuildNarrativePrompt(const PromptTemplate& prompt,
                                     const boost::json::object& recommendation,
                                     const GroundingFacts& facts, const SupplementNames& names);

}  // namespace vitarec::llm

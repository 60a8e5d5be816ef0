// The medicine-related texts of a recommendation, in the request's locale: a drug rule reached
// through a broad class, a medicine the knowledge base does not know, and the per-medicine
// summaries ("Si tomas anticoagulantes: evita …"). Used by the Composer; the rules themselves are
// in MedicationProfile and SafetyReview.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recommend/Candidates.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

// Whether an item has an "avoid" interaction with some medicine (St John's wort, ginkgo,
// potassium, vitamin K, 5-HTP, red yeast rice …): a medicine we cannot check matters most there.
bool HasSevereInteractions(const Supplement& supplement);

// What the person takes as a rule sees it: "sertralina", or for a rule only possibly reached
// "pastillas para la tensión (por si incluyen IECA o ARA-II)".
std::string TakenText(const SafetyFlag& flag, std::string_view locale);

// The warning text of a drug-interaction or unknown-medicine flag; nullopt for other flags.
std::optional<std::string> MedicationFlagText(const SafetyFlag& flag, std::string_view supplement,
                                              std::string_view locale);

// One entry of an item's `interactions`: {with, name, action, hours?, note, possible?, via?}.
boost::json::object InteractionJson(const SafetyFlag& flag, std::string_view locale);

// The general warning for one unrecognised medicine, naming the listed items with severe
// interactions, if any ("No reconocemos «X»; consulta a tu farmacéutico antes de combinarlo con
// hipérico…").
std::string UnknownMedicineWarning(const KnowledgeBase& kb, std::string_view entry,
                                   const std::vector<Candidate>& candidates,
                                   std::string_view locale);

// For every drug and drug class named: which supplements to avoid or ask about with it. A rule
// that a broad class only possibly meets counts as "ask".
void AddInteractionSummaries(const KnowledgeBase& kb, const Understanding& u,
                             std::string_view locale, boost::json::array& warnings);

}  // namespace vitarec::recommend

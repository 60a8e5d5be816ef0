// Stage 30, candidates and evidence: which supplements answer the request, and why.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "recommend/KnowledgeBase.h"
#include "recommend/Person.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

// A safety rule that applies to one candidate for this person (filled in by ReviewSafety).
struct SafetyFlag {
  SafetyAction action = SafetyAction::kAskDoctor;
  const Interaction* interaction = nullptr;  // set for a drug interaction
  const LocalizedText* drug_name = nullptr;  // the drug or class the person takes
  std::string drug_id;
  const Contraindication* contraindication = nullptr;  // set for a condition
  const LocalizedText* condition_name = nullptr;
  // Set when the rule is that of a nutrient the item contains (cod liver oil's vitamin A): the
  // nutrient and the product (the item's form) that carries it.
  const LocalizedText* content_name = nullptr;
  const LocalizedText* product_name = nullptr;
  // For a rule reached only possibly through a broad class the person named (MedicationProfile):
  // the drug or class the rule was written for.
  const LocalizedText* possible_target = nullptr;
  // Set for a medicine the knowledge base does not know, met with an item that has severe
  // interactions: what the person wrote.
  std::string unknown_medicine;
};

struct Candidate {
  std::uint32_t supplement = 0;                // index in KnowledgeBase::supplements()
  std::optional<std::uint32_t> form;           // named form; else the default (first) form is used
  bool named = false;                          // the query named it
  int score = 0;                               // higher ranks first
  std::vector<const Evidence*> goal_evidence;  // for the goals asked about, best grade first
  std::vector<const LocalizedText*> suggested_because;  // diet or condition reasons

  // Filled in by ReviewSafety.
  bool excluded = false;
  std::optional<LocalizedText> exclusion_reason;  // set when excluded
  std::vector<SafetyFlag> flags;                  // the rules that apply, strictest first
  PersonalDose dose;

  // Filled in by AddUpItems (Combination.h): what this item and the others provide together.
  std::vector<LocalizedText> combined_notes;
};

struct CandidateOptions {
  std::size_t max_per_goal = 6;      // supplements considered per goal, best graded first
  std::size_t max_alternatives = 3;  // goal-based additions when the query named supplements
};

// Gathers candidates for the understood request, ranked best first (ties by id). For a goal,
// grade D supplements are added only when the goal has nothing graded A-C. Named supplements rank
// above goal matches, which rank above diet and condition suggestions; among goal matches a higher
// evidence grade ranks first.
std::vector<Candidate> GatherCandidates(const KnowledgeBase& kb, const Understanding& u,
                                        const CandidateOptions& options = {});

// Points for an evidence grade: A 40, B 30, C 20, D 10.
int GradePoints(char grade);

}  // namespace vitarec::recommend

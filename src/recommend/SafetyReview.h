// Stage 70, safety: checks every candidate against the person (age, pregnancy and lactation,
// conditions, medications) and sets its personal dose.
//
// Rules, safety first:
//  - younger than the supplement's min_age (or possibly younger, for an age range), or older
//    than its max_age: excluded;
//  - a contraindication or interaction with action "avoid" that applies: excluded, with the
//    condition or drug named in the reason;
//  - "ask_doctor", "separate", "monitor": kept and flagged (SafetyFlag), strictest first;
//  - interactions follow the drug-class hierarchy (MedicationProfile): a rule only possibly met
//    through a broad class the person named applies at least as "ask_doctor";
//  - a medicine the knowledge base does not know, with an item that has an "avoid" interaction
//    (HasSevereInteractions): flagged "ask_doctor", naming the medicine;
//  - pregnant or lactating and anything but a vitamin or mineral with no explicit rule for that
//    stage: flagged "ask_doctor" (absence of data is not evidence of safety);
//  - the dose is DoseFor(): never above the person's upper limit.
#pragma once

#include <vector>

#include "recommend/Candidates.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

void ReviewSafety(const KnowledgeBase& kb, const Understanding& u,
                  std::vector<Candidate>& candidates);

}  // namespace vitarec::recommend

// What the person takes, seen from the rules: every drug id and drug class id an interaction may
// be written for, reached from what the request named, and how sure that is.
//
// Rules of the drug-class hierarchy (data/drugs.json, `parents` and `class_effect`):
//  - a named drug takes its classes and every ancestor class: certain ("sertralina" reaches
//    "ssri" and "serotonergic");
//  - a named class takes itself and its ancestors: certain;
//  - a named class may also be any class below it, any of its member drugs and their other
//    classes: only possible ("pastillas para la tensión" may be an ACE inhibitor); a rule reached
//    that way is applied at least as "ask_doctor" (ActionFor), never dropped;
//  - in a class with `class_effect`, a rule written for one member holds for every member, and
//    naming the class makes its members certain (warfarin's rules hold for acenocoumarol).
// Built per request from the understood entities; cost O(drugs and classes reached).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "recommend/KnowledgeBase.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

// How the person reaches one rule target.
struct TakenVia {
  bool certain = true;
  const LocalizedText* named = nullptr;  // the drug or class the person named
  std::string_view named_id;
  const LocalizedText* target = nullptr;  // the rule's drug or class, when only possible
};

class MedicationProfile {
 public:
  MedicationProfile() = default;
  // Everything the request named (Understanding::drugs and drug_classes).
  MedicationProfile(const KnowledgeBase& kb, const Understanding& u);
  // One named drug, or one named class (positions in kb.drugs() / kb.drug_classes()).
  static MedicationProfile OfDrug(const KnowledgeBase& kb, std::uint32_t drug);
  static MedicationProfile OfClass(const KnowledgeBase& kb, std::uint32_t drug_class);

  // How the person reaches `target` (a drug or drug class id), or nullptr when they do not.
  const TakenVia* Find(std::string_view target) const;
  bool empty() const { return targets_.empty(); }

  // The action of a rule written as `written` for a target reached `via`.
  static SafetyAction ActionFor(SafetyAction written, const TakenVia& via);

 private:
  void AddDrug(const KnowledgeBase& kb, std::uint32_t drug);
  void AddClass(const KnowledgeBase& kb, std::uint32_t drug_class);
  // Keeps the first certain way to a target over any possible one.
  void Put(std::string_view target, const TakenVia& via);

  std::unordered_map<std::string_view, TakenVia> targets_;
};

}  // namespace vitarec::recommend

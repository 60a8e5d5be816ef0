#include "recommend/MedicationProfile.h"

#include <algorithm>

namespace vitarec::recommend {

MedicationProfile::MedicationProfile(const KnowledgeBase& kb, const Understanding& u) {
  for (std::uint32_t d : u.drugs) AddDrug(kb, d);
  for (std::uint32_t c : u.drug_classes) AddClass(kb, c);
}

MedicationProfile MedicationProfile::OfDrug(const KnowledgeBase& kb, std::uint32_t drug) {
  MedicationProfile p;
  p.AddDrug(kb, drug);
  return p;
}

MedicationProfile MedicationProfile::OfClass(const KnowledgeBase& kb, std::uint32_t drug_class) {
  MedicationProfile p;
  p.AddClass(kb, drug_class);
  return p;
}

const TakenVia* MedicationProfile::Find(std::string_view target) const {
  const auto it = targets_.find(target);
  return it == targets_.end() ? nullptr : &it->second;
}

SafetyAction MedicationProfile::ActionFor(SafetyAction written, const TakenVia& via) {
  return via.certain ? written : std::max(written, SafetyAction::kAskDoctor);
}

void MedicationProfile::Put(std::string_view target, const TakenVia& via) {
  const auto [it, inserted] = targets_.emplace(target, via);
  if (!inserted && !it->second.certain && via.certain) it->second = via;
}

void MedicationProfile::AddDrug(const KnowledgeBase& kb, std::uint32_t drug) {
  const Drug& d = kb.drugs()[drug];
  const TakenVia sure{true, &d.name, d.id, nullptr};
  Put(d.id, sure);
  for (std::uint32_t c : kb.ClassesOfDrug(drug)) {
    const DrugClass& cls = kb.drug_classes()[c];
    Put(cls.id, sure);
    if (!cls.class_effect) continue;
    for (std::uint32_t m : kb.Members(c)) Put(kb.drugs()[m].id, sure);
  }
}

void MedicationProfile::AddClass(const KnowledgeBase& kb, std::uint32_t drug_class) {
  const DrugClass& named = kb.drug_classes()[drug_class];
  const TakenVia sure{true, &named.name, named.id, nullptr};
  for (std::uint32_t a : kb.SelfAndAncestors(drug_class)) Put(kb.drug_classes()[a].id, sure);
  const auto maybe = [&](const std::string& id, const LocalizedText& name) {
    Put(id, TakenVia{false, &named.name, named.id, &name});
  };
  for (std::uint32_t c : kb.Descendants(drug_class))
    maybe(kb.drug_classes()[c].id, kb.drug_classes()[c].name);
  for (std::uint32_t m : kb.Members(drug_class)) {
    const Drug& d = kb.drugs()[m];
    if (named.class_effect) {
      Put(d.id, sure);
    } else {
      maybe(d.id, d.name);
    }
    for (std::uint32_t c : kb.ClassesOfDrug(m))
      maybe(kb.drug_classes()[c].id, kb.drug_classes()[c].name);
  }
}

}  // namespace vitarec::recommend

#include "recommend/KnowledgeBase.h"

namespace vitarec::recommend {
namespace {

template <typename T>
const T* Find(const std::unordered_map<std::string, std::uint32_t>& ids,
              const std::vector<T>& items, std::string_view id) {
  const auto it = ids.find(std::string(id));
  return it == ids.end() ? nullptr : &items[it->second];
}

}  // namespace

const Supplement* KnowledgeBase::FindSupplement(std::string_view id) const {
  return Find(supplement_ids_, supplements_, id);
}
const Goal* KnowledgeBase::FindGoal(std::string_view id) const {
  return Find(goal_ids_, goals_, id);
}
const Condition* KnowledgeBase::FindCondition(std::string_view id) const {
  return Find(condition_ids_, conditions_, id);
}
const DrugClass* KnowledgeBase::FindDrugClass(std::string_view id) const {
  return Find(drug_class_ids_, drug_classes_, id);
}
const Drug* KnowledgeBase::FindDrug(std::string_view id) const {
  return Find(drug_ids_, drugs_, id);
}
const Diet* KnowledgeBase::FindDiet(std::string_view id) const {
  return Find(diet_ids_, diets_, id);
}

const std::string& KnowledgeBase::IdOf(const TermRef& ref) const {
  switch (ref.kind) {
    case TermKind::kSupplement:
      return supplements_[ref.index].id;
    case TermKind::kForm:
      return supplements_[ref.index].forms[ref.sub].id;
    case TermKind::kGoal:
      return goals_[ref.index].id;
    case TermKind::kCondition:
      return conditions_[ref.index].id;
    case TermKind::kDrug:
      return drugs_[ref.index].id;
    case TermKind::kDrugClass:
      return drug_classes_[ref.index].id;
    case TermKind::kDiet:
      return diets_[ref.index].id;
  }
  return supplements_[ref.index].id;
}

const LocalizedText& KnowledgeBase::NameOf(const TermRef& ref) const {
  switch (ref.kind) {
    case TermKind::kSupplement:
      return supplements_[ref.index].name;
    case TermKind::kForm:
      return supplements_[ref.index].forms[ref.sub].name;
    case TermKind::kGoal:
      return goals_[ref.index].name;
    case TermKind::kCondition:
      return conditions_[ref.index].name;
    case TermKind::kDrug:
      return drugs_[ref.index].name;
    case TermKind::kDrugClass:
      return drug_classes_[ref.index].name;
    case TermKind::kDiet:
      return diets_[ref.index].name;
  }
  return supplements_[ref.index].name;
}

}  // namespace vitarec::recommend

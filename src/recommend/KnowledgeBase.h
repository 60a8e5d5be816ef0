// The knowledge base: supplements, health goals, conditions, drugs and drug classes, and diets,
// loaded from the JSON files of data/ (compiled into the binary, or read from a directory) and
// validated at load (KnowledgeBaseLoader.h, KnowledgeBaseBuilder.h). Immutable once loaded;
// shared by every worker thread.
//
// Loading checks each file's shape (required fields, types, ranges, unknown fields) and then the
// whole: unique ids, every reference (goal, condition, drug, drug class, supplement) resolves,
// no alias names two different entries. The first problem stops loading. The schema and how to
// add a supplement: data/README.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/Error.h"
#include "recommend/QueryMatcher.h"
#include "recommend/Supplement.h"
#include "recommend/Terms.h"

namespace vitarec::recommend {

class KnowledgeBase {
 public:
  std::size_t SupplementCount() const { return supplements_.size(); }
  std::size_t GoalCount() const { return goals_.size(); }

  // All entries, in id order. References into them stay valid for the life of the object.
  const std::vector<Supplement>& supplements() const { return supplements_; }
  const std::vector<Goal>& goals() const { return goals_; }
  const std::vector<Condition>& conditions() const { return conditions_; }
  const std::vector<DrugClass>& drug_classes() const { return drug_classes_; }
  const std::vector<Drug>& drugs() const { return drugs_; }
  const std::vector<Diet>& diets() const { return diets_; }

  // Lookups by id; nullptr when unknown.
  const Supplement* FindSupplement(std::string_view id) const;
  const Goal* FindGoal(std::string_view id) const;
  const Condition* FindCondition(std::string_view id) const;
  const DrugClass* FindDrugClass(std::string_view id) const;
  const Drug* FindDrug(std::string_view id) const;
  const Diet* FindDiet(std::string_view id) const;

  // The drug-class hierarchy, closed at load; positions in drug_classes() and drugs(), ascending.
  // Every class a drug belongs to, directly or through a parent of one of its classes.
  const std::vector<std::uint32_t>& ClassesOfDrug(std::uint32_t drug) const {
    return drug_closure_[drug];
  }
  // The class and every class above it.
  const std::vector<std::uint32_t>& SelfAndAncestors(std::uint32_t drug_class) const {
    return class_ancestors_[drug_class];
  }
  // Every class below it (not itself).
  const std::vector<std::uint32_t>& Descendants(std::uint32_t drug_class) const {
    return class_descendants_[drug_class];
  }
  // Every drug in the class or in a class below it.
  const std::vector<std::uint32_t>& Members(std::uint32_t drug_class) const {
    return class_members_[drug_class];
  }

  // The index of every alias and id; see QueryMatcher.
  const QueryMatcher& matcher() const { return matcher_; }

  // The id and localized name of what `ref` points at.
  const std::string& IdOf(const TermRef& ref) const;
  const LocalizedText& NameOf(const TermRef& ref) const;

 private:
  friend class KnowledgeBaseBuilder;
  KnowledgeBase() = default;

  std::vector<Supplement> supplements_;
  std::vector<Goal> goals_;
  std::vector<Condition> conditions_;
  std::vector<DrugClass> drug_classes_;
  std::vector<Drug> drugs_;
  std::vector<Diet> diets_;
  // id -> position, per kind (ids are unique within a kind; drugs and classes share one space).
  std::unordered_map<std::string, std::uint32_t> supplement_ids_, goal_ids_, condition_ids_,
      drug_class_ids_, drug_ids_, diet_ids_;
  // Per drug / per class, see ClassesOfDrug() and the accessors after it.
  std::vector<std::vector<std::uint32_t>> drug_closure_, class_ancestors_, class_descendants_,
      class_members_;
  QueryMatcher matcher_;
};

}  // namespace vitarec::recommend

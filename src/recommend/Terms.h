// The named things, besides supplements, that a query or a quiz answer can refer to: health
// goals, conditions, drugs and drug classes, and diets (data/goals.json, conditions.json,
// drugs.json, diets.json). Plain data, immutable once loaded.
#pragma once

#include <string>
#include <vector>

#include "recommend/LocalizedText.h"

namespace vitarec::recommend {

struct Goal {
  std::string id;  // "sleep"
  LocalizedText name;
  std::vector<std::string> aliases;  // phrases in either language ("dormir mejor", "insomnia")
};

// A reason to suggest a supplement to someone in a condition or on a diet.
struct Suggestion {
  std::string supplement;  // supplement id
  LocalizedText reason;
};

struct Condition {
  std::string id;  // "kidney_disease"; "pregnancy" and "lactation" are conditions too
  LocalizedText name;
  std::vector<std::string> aliases;
  std::vector<Suggestion> suggests;  // e.g. pregnancy -> folate
  std::string goal;  // goal id a query naming the condition also asks about, or empty
};

struct DrugClass {
  std::string id;  // "anticoagulants"
  LocalizedText name;
  std::vector<std::string> aliases;
  // Broader classes this one belongs to ("ssri" -> "serotonergic"); the hierarchy is acyclic.
  std::vector<std::string> parents;
  // A rule written for any one member drug holds for every member (a class effect: what is
  // known of warfarin holds for acenocoumarol).
  bool class_effect = false;
};

struct Drug {
  std::string id;  // "warfarin"
  LocalizedText name;
  std::vector<std::string> aliases;  // generic and brand names in either language
  std::vector<std::string> classes;  // drug class ids
};

struct Diet {
  std::string id;  // "vegan"
  LocalizedText name;
  std::vector<std::string> aliases;
  std::vector<Suggestion> suggests;
};

}  // namespace vitarec::recommend

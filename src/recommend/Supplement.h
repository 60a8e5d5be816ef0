// The facts the knowledge base holds about one supplement (data/supplements/*.json; the schema is
// described in data/README.md). Plain data, immutable once loaded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "recommend/LocalizedText.h"

namespace vitarec::recommend {

enum class Sex { kAny, kFemale, kMale };
enum class LifeStage { kAny, kPregnancy, kLactation };

// What a safety rule asks the person to do. Ordered by severity: a larger value is stricter.
enum class SafetyAction {
  kMonitor,    // fine to take; watch a value (blood sugar, blood pressure) or a symptom
  kSeparate,   // take it `hours` apart from the drug
  kAskDoctor,  // only with the approval of the doctor who treats the condition or prescribes
  kAvoid,      // do not take it: the item is left out of the recommendation
};

enum class Frequency { kOnceDaily, kTwiceDaily, kThreeTimesDaily, kWeekly, kAsNeeded };

// Who a row of an intake table or a dose rule applies to. Ages are whole years, inclusive.
struct Population {
  int age_min = 0;
  int age_max = 120;
  Sex sex = Sex::kAny;
  LifeStage stage = LifeStage::kAny;
};

// One row of a reference intake (RDA/AI) or tolerable upper limit (UL) table.
struct IntakeRow {
  Population who;
  double amount = 0;  // in Supplement::dose.unit, per day; whole numbers in `ul` tables
};

struct DoseRule {
  Population who;
  int amount = 0;
};

struct Dose {
  int amount = 0;    // typical supplemental amount per intake, for an adult
  std::string unit;  // "mg", "mcg", "g", "UFC" (CFU)...; the unit of the intake tables too
  Frequency frequency = Frequency::kOnceDaily;
  std::vector<DoseRule> rules;  // first rule that fits the person replaces `amount`
};

// A nutrient a product carries besides its main one: a multivitamin's iron, cod liver oil's
// vitamin A. Counted with the other items of a recommendation against each upper limit.
struct Content {
  std::string supplement;  // supplement id of the nutrient
  std::string form;        // form id of that supplement when it matters (beta-carotene), or empty
  int amount = 0;          // per intake of the product, in the nutrient's dose unit
};

struct Form {
  std::string id;  // "glycinate"
  LocalizedText name;
  std::vector<std::string> aliases;  // raw text in either language; folded when indexed
  LocalizedText notes;
  // What differs from the supplement for this form; unset means the supplement's own.
  std::optional<Dose> dose;                  // same unit and frequency as the supplement's
  std::optional<std::vector<IntakeRow>> ul;  // empty: no upper limit applies to this form
  std::optional<LocalizedText> ul_note;
  std::vector<Content> contains;
  // Whom this form is made for (a prenatal: pregnancy, lactation). When the query names no form,
  // the first form made for a group the person surely belongs to is given instead of the default.
  std::vector<Population> made_for;
};

struct Evidence {
  std::string goal;  // goal id
  char grade = 'D';  // 'A' (strong, consistent trials) .. 'D' (weak, preliminary or mixed)
  LocalizedText summary;
  // Who the evidence is about; empty means everyone. A goal does not bring the supplement to a
  // person outside these groups (iron for tiredness: women of child-bearing age).
  std::vector<Population> who;
  // Shown whenever the supplement is offered while this goal is asked about ("only after a blood
  // test", "treating anaemia needs a diagnosis").
  std::optional<LocalizedText> caution;
};

struct Contraindication {
  std::string condition;  // condition id ("pregnancy", "kidney_disease")
  SafetyAction action = SafetyAction::kAskDoctor;
  LocalizedText note;
};

struct Interaction {
  std::string target;  // a drug id or a drug class id
  SafetyAction action = SafetyAction::kAskDoctor;
  int hours = 0;  // for kSeparate: hours between the two
  LocalizedText note;
};

struct Source {
  std::string title;
  std::string url;
};

struct Supplement {
  std::string id;        // stable English snake_case id ("vitamin_d")
  std::string category;  // "vitamin", "mineral", "botanical", "fatty_acid", "amino_acid", "other"
  LocalizedText name;
  std::vector<std::string> aliases;  // raw text in either language
  std::vector<Form> forms;           // the first one is the default form
  Dose dose;
  LocalizedText timing;
  int min_age = 18;            // below this age it is not suggested without a doctor
  int max_age = 120;           // above this age it is not suggested (EU rule for red yeast rice)
  std::vector<IntakeRow> rda;  // RDA or AI, total intake from food and supplements
  // Tolerable upper limits. `ul` is what the engine applies: the lower of the US (IOM, National
  // Academies) table `ul_iom` and the EFSA table `ul_efsa` for every person (merged at load).
  std::vector<IntakeRow> ul;
  std::vector<IntakeRow> ul_iom;
  std::vector<IntakeRow> ul_efsa;
  // Whether the limits count food as well as supplements (false: supplements and fortified
  // foods only, as for magnesium or folic acid); unset when there is no limit.
  std::optional<bool> ul_counts_food;
  std::optional<LocalizedText> ul_note;
  std::vector<Evidence> evidence;
  std::vector<Contraindication> contraindications;
  std::vector<Interaction> interactions;
  std::vector<Source> sources;
};

}  // namespace vitarec::recommend

#include "recommend/Person.h"

#include <algorithm>
#include <array>

namespace vitarec::recommend {
namespace {

// One concrete possibility for the person: a known age, sex and stage.
struct Case {
  int age = 30;
  Sex sex = Sex::kFemale;
  LifeStage stage = LifeStage::kAny;
};

std::vector<Case> CasesOf(const Person& person) {
  static constexpr std::array<int, 4> kAdultAges = {19, 31, 51, 71};
  // First ages of the groups of the reference tables (infants, children, teens, adults).
  static constexpr std::array<int, 9> kGroupStarts = {0, 1, 4, 9, 14, 19, 31, 51, 71};
  static constexpr std::array<int, 3> kChildBearingAges = {14, 19, 31};
  const bool stage = person.pregnant || person.lactating;
  std::vector<int> ages;
  if (person.age) {
    ages.push_back(*person.age);
  } else if (person.age_range) {
    ages.push_back(person.age_range->min);
    for (int start : kGroupStarts)
      if (start > person.age_range->min && start <= person.age_range->max) ages.push_back(start);
  } else if (stage) {
    ages.assign(kChildBearingAges.begin(), kChildBearingAges.end());
  } else {
    ages.assign(kAdultAges.begin(), kAdultAges.end());
  }
  std::vector<Sex> sexes;
  if (person.sex == Sex::kAny && stage) {
    sexes = {Sex::kFemale};
  } else if (person.sex == Sex::kAny) {
    sexes = {Sex::kFemale, Sex::kMale};
  } else {
    sexes = {person.sex};
  }
  std::vector<LifeStage> stages;
  if (person.pregnant) stages.push_back(LifeStage::kPregnancy);
  if (person.lactating) stages.push_back(LifeStage::kLactation);
  if (stages.empty()) stages.push_back(LifeStage::kAny);
  std::vector<Case> cases;
  for (int age : ages)
    for (Sex sex : sexes)
      for (LifeStage stage : stages) {
        // Pregnancy and lactation only concern women; a "male" answer wins over the flag.
        if (stage != LifeStage::kAny && sex == Sex::kMale) stage = LifeStage::kAny;
        cases.push_back({age, sex, stage});
      }
  return cases;
}

bool Fits(const Population& who, const Case& c, bool stage_rows) {
  if (c.age < who.age_min || c.age > who.age_max) return false;
  if (who.sex != Sex::kAny && who.sex != c.sex) return false;
  return stage_rows ? who.stage == c.stage : who.stage == LifeStage::kAny;
}

// The table value for one case: rows specific to the case's stage win over general rows; among
// several fitting rows the smallest value.
std::optional<double> Lookup(const std::vector<IntakeRow>& rows, const Case& c) {
  for (bool stage_rows : {true, false}) {
    if (stage_rows && c.stage == LifeStage::kAny) continue;
    std::optional<double> best;
    for (const IntakeRow& row : rows)
      if (Fits(row.who, c, stage_rows)) best = best ? std::min(*best, row.amount) : row.amount;
    if (best) return best;
  }
  return std::nullopt;
}

// The smallest value over every case of the person; nullopt if no case has one.
std::optional<double> LookupAll(const std::vector<IntakeRow>& rows, const Person& person) {
  std::optional<double> out;
  for (const Case& c : CasesOf(person))
    if (auto v = Lookup(rows, c)) out = out ? std::min(*out, *v) : *v;
  return out;
}

int RuleAmount(const Dose& dose, const Case& c) {
  for (const DoseRule& rule : dose.rules) {
    if (Fits(rule.who, c, /*stage_rows=*/rule.who.stage != LifeStage::kAny)) return rule.amount;
  }
  return dose.amount;
}

}  // namespace

bool Person::HasCondition(std::string_view id) const {
  return std::find(conditions.begin(), conditions.end(), id) != conditions.end();
}

bool MayBelongTo(const Person& person, const std::vector<Population>& groups) {
  if (groups.empty()) return true;
  for (const Case& c : CasesOf(person))
    for (const Population& who : groups)
      if (Fits(who, c, /*stage_rows=*/who.stage != LifeStage::kAny)) return true;
  return false;
}

bool SurelyBelongsTo(const Person& person, const std::vector<Population>& groups) {
  if (groups.empty()) return false;
  for (const Case& c : CasesOf(person)) {
    const bool fits = std::any_of(groups.begin(), groups.end(), [&](const Population& who) {
      return Fits(who, c, /*stage_rows=*/who.stage != LifeStage::kAny);
    });
    if (!fits) return false;
  }
  return true;
}

std::optional<int> Person::YoungestAge() const {
  if (age) return age;
  if (age_range) return age_range->min;
  return std::nullopt;
}

bool Person::MayBeMinor() const {
  const auto youngest = YoungestAge();
  return youngest && *youngest < 18;
}

bool Person::Takes(std::string_view target) const {
  return std::find(drugs.begin(), drugs.end(), target) != drugs.end() ||
         std::find(drug_classes.begin(), drug_classes.end(), target) != drug_classes.end();
}

int IntakesPerDay(Frequency frequency) {
  switch (frequency) {
    case Frequency::kTwiceDaily:
      return 2;
    case Frequency::kThreeTimesDaily:
      return 3;
    default:
      return 1;
  }
}

namespace {

const std::vector<IntakeRow>& UpperLimitTable(const Supplement& supplement,
                                              std::optional<std::uint32_t> form) {
  if (form && *form < supplement.forms.size() && supplement.forms[*form].ul)
    return *supplement.forms[*form].ul;
  return supplement.ul;
}

const Dose& DoseOf(const Supplement& supplement, std::optional<std::uint32_t> form) {
  if (form && *form < supplement.forms.size() && supplement.forms[*form].dose)
    return *supplement.forms[*form].dose;
  return supplement.dose;
}

}  // namespace

std::optional<int> UpperLimitFor(const Supplement& supplement, const Person& person,
                                 std::optional<std::uint32_t> form) {
  return UpperLimitIn(UpperLimitTable(supplement, form), person);
}

std::optional<int> UpperLimitIn(const std::vector<IntakeRow>& table, const Person& person) {
  const auto ul = LookupAll(table, person);
  if (!ul) return std::nullopt;
  return static_cast<int>(*ul);
}

std::optional<IntakeRange> ReferenceIntakeFor(const Supplement& supplement, const Person& person) {
  std::optional<IntakeRange> out;
  for (const Case& c : CasesOf(person)) {
    const auto v = Lookup(supplement.rda, c);
    if (!v) continue;
    if (!out) {
      out = IntakeRange{*v, *v};
    } else {
      out->low = std::min(out->low, *v);
      out->high = std::max(out->high, *v);
    }
  }
  return out;
}

PersonalDose DoseFor(const Supplement& supplement, const Person& person,
                     std::optional<std::uint32_t> form) {
  PersonalDose out;
  const Dose& dose = DoseOf(supplement, form);
  const std::vector<IntakeRow>& ul_table = UpperLimitTable(supplement, form);
  const int per_day = IntakesPerDay(dose.frequency);
  bool first = true;
  for (const Case& c : CasesOf(person)) {
    int amount = RuleAmount(dose, c);
    if (auto found = Lookup(ul_table, c)) {
      const auto ul = std::optional<int>(static_cast<int>(*found));
      out.upper_limit = out.upper_limit ? std::min(*out.upper_limit, *ul) : *ul;
      if (amount * per_day > *ul) {
        amount = std::max(1, *ul / per_day);
        out.capped = true;
      }
    }
    out.amount = first ? amount : std::min(out.amount, amount);
    first = false;
  }
  return out;
}

}  // namespace vitarec::recommend

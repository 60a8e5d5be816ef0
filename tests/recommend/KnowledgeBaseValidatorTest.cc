// The shipped knowledge base (data/) is complete and consistent: what a reviewer would check by
// hand, checked on every build.
#include <gtest/gtest.h>

#include <set>

#include "TestSupport.h"
#include "recommend/Person.h"
#include "recommend/TextFold.h"

namespace vitarec::recommend {
namespace {

using support::Kb;

TEST(KnowledgeBaseValidatorTest, HasAtLeastSixtySupplementsAndTwentyGoals) {
  EXPECT_GE(Kb()->SupplementCount(), 60u);
  EXPECT_GE(Kb()->GoalCount(), 20u);
}

TEST(KnowledgeBaseValidatorTest, EverySupplementIsComplete) {
  for (const Supplement& s : Kb()->supplements()) {
    SCOPED_TRACE(s.id);
    EXPECT_FALSE(s.name.es.empty());
    EXPECT_FALSE(s.name.en.empty());
    EXPECT_FALSE(s.aliases.empty());
    EXPECT_FALSE(s.forms.empty());
    for (const Form& f : s.forms) EXPECT_FALSE(f.notes.es.empty() || f.notes.en.empty()) << f.id;
    EXPECT_GT(s.dose.amount, 0);
    EXPECT_FALSE(s.timing.es.empty() || s.timing.en.empty());
    EXPECT_FALSE(s.evidence.empty());
    for (const Evidence& e : s.evidence) {
      EXPECT_TRUE(e.grade >= 'A' && e.grade <= 'D');
      EXPECT_FALSE(e.summary.es.empty() || e.summary.en.empty()) << e.goal;
      EXPECT_NE(e.summary.es, e.summary.en) << e.goal << ": the Spanish text is not translated";
    }
    EXPECT_FALSE(s.sources.empty());
    for (const Source& src : s.sources) EXPECT_EQ(src.url.rfind("https://", 0), 0u) << src.url;
  }
}

TEST(KnowledgeBaseValidatorTest, EveryReferenceResolves) {
  const KnowledgeBase& kb = *Kb();
  for (const Supplement& s : kb.supplements()) {
    for (const Evidence& e : s.evidence) EXPECT_NE(kb.FindGoal(e.goal), nullptr) << s.id;
    for (const Contraindication& c : s.contraindications)
      EXPECT_NE(kb.FindCondition(c.condition), nullptr) << s.id;
    for (const Interaction& x : s.interactions)
      EXPECT_TRUE(kb.FindDrug(x.target) || kb.FindDrugClass(x.target)) << s.id << " " << x.target;
  }
  for (const Drug& d : kb.drugs())
    for (const std::string& c : d.classes) EXPECT_NE(kb.FindDrugClass(c), nullptr) << d.id;
  for (const Diet& d : kb.diets())
    for (const Suggestion& s : d.suggests) EXPECT_NE(kb.FindSupplement(s.supplement), nullptr);
  for (const Condition& c : kb.conditions())
    for (const Suggestion& s : c.suggests) EXPECT_NE(kb.FindSupplement(s.supplement), nullptr);
}

TEST(KnowledgeBaseValidatorTest, EveryGoalHasASupplementWithEvidence) {
  std::set<std::string> covered;
  for (const Supplement& s : Kb()->supplements())
    for (const Evidence& e : s.evidence) covered.insert(e.goal);
  for (const Goal& g : Kb()->goals()) EXPECT_TRUE(covered.contains(g.id)) << g.id;
}

// Every profile the engine can meet, from each supplement's minimum age: ages, both sexes,
// pregnancy and lactation, and unknown age or sex.
std::vector<Person> Profiles(int min_age) {
  std::vector<Person> out;
  for (int age : {1, 3, 4, 8, 9, 13, 14, 18, 19, 30, 31, 50, 51, 70, 71, 120}) {
    if (age < min_age) continue;
    for (Sex sex : {Sex::kFemale, Sex::kMale, Sex::kAny}) {
      Person p;
      p.age = age;
      p.sex = sex;
      out.push_back(p);
      if (sex == Sex::kFemale && age >= 14 && age <= 50) {
        p.pregnant = true;
        out.push_back(p);
        p.pregnant = false;
        p.lactating = true;
        out.push_back(p);
      }
    }
  }
  out.push_back(Person{});
  // Pregnancy or lactation with nothing else known, and ages known only as a range.
  Person stage;
  stage.pregnant = true;
  out.push_back(stage);
  stage.pregnant = false;
  stage.lactating = true;
  out.push_back(stage);
  for (AgeRange range : {AgeRange{1, 13}, AgeRange{12, 17}, AgeRange{0, 2}}) {
    if (range.min < min_age) continue;
    Person p;
    p.age_range = range;
    out.push_back(p);
  }
  return out;
}

TEST(KnowledgeBaseValidatorTest, EveryDefaultDoseIsWithinTheUpperLimitForEveryProfile) {
  for (const Supplement& s : Kb()->supplements()) {
    const int per_day = IntakesPerDay(s.dose.frequency);
    for (const Person& p : Profiles(s.min_age)) {
      SCOPED_TRACE(s.id + " age " + std::to_string(p.age.value_or(-1)) +
                   (p.pregnant ? " pregnant" : "") + (p.lactating ? " lactating" : ""));
      const PersonalDose dose = DoseFor(s, p);
      // The data's own dose fits the limit: the engine never has to cut it down.
      EXPECT_FALSE(dose.capped);
      if (const auto ul = UpperLimitFor(s, p)) {
        EXPECT_LE(dose.amount * per_day, *ul);
      }
      EXPECT_GT(dose.amount, 0);
    }
  }
}

TEST(KnowledgeBaseValidatorTest, EveryFormDoseIsWithinTheFormsUpperLimitForEveryProfile) {
  for (const Supplement& s : Kb()->supplements()) {
    for (std::uint32_t f = 0; f < s.forms.size(); ++f) {
      const Form& form = s.forms[f];
      if (!form.dose && !form.ul) continue;
      const int per_day = IntakesPerDay(form.dose ? form.dose->frequency : s.dose.frequency);
      for (const Person& p : Profiles(s.min_age)) {
        SCOPED_TRACE(s.id + "/" + form.id + " age " + std::to_string(p.age.value_or(-1)));
        const PersonalDose dose = DoseFor(s, p, f);
        EXPECT_FALSE(dose.capped);
        if (const auto ul = UpperLimitFor(s, p, f)) {
          EXPECT_LE(dose.amount * per_day, *ul);
        }
      }
    }
  }
}

TEST(KnowledgeBaseValidatorTest, WhatAProductContainsStaysWithinEachLimitForAnAdult) {
  const KnowledgeBase& kb = *Kb();
  for (const Supplement& s : kb.supplements()) {
    for (const Form& form : s.forms) {
      for (const Content& content : form.contains) {
        const Supplement* n = kb.FindSupplement(content.supplement);
        ASSERT_NE(n, nullptr) << s.id << "/" << form.id << ": " << content.supplement;
        Person adult;
        const auto ul = UpperLimitFor(*n, adult);
        if (ul) {
          EXPECT_LE(content.amount * IntakesPerDay(s.dose.frequency), *ul)
              << s.id << "/" << form.id;
        }
      }
    }
  }
}

TEST(KnowledgeBaseValidatorTest, EveryFormNameSelectsItsForm) {
  const KnowledgeBase& kb = *Kb();
  for (std::uint32_t i = 0; i < kb.supplements().size(); ++i) {
    const Supplement& s = kb.supplements()[i];
    for (std::uint32_t f = 0; f < s.forms.size(); ++f) {
      for (const std::string& name : {s.forms[f].name.es, s.forms[f].name.en}) {
        const TermRef* ref = kb.matcher().Find(name);
        ASSERT_NE(ref, nullptr) << name;
        EXPECT_EQ(ref->index, i) << name;
        // A form named like its supplement (name or id) is the supplement; otherwise the form.
        const std::string folded = FoldText(name);
        if (folded != FoldText(s.name.es) && folded != FoldText(s.name.en) &&
            folded != FoldText(s.id)) {
          EXPECT_EQ(ref->kind, TermKind::kForm) << s.id << ": " << name;
          EXPECT_EQ(ref->sub, f) << name;
        }
      }
    }
  }
}

TEST(KnowledgeBaseValidatorTest, UpperLimitTablesCoverEveryAgeFromTheMinimumAge) {
  for (const Supplement& s : Kb()->supplements()) {
    if (s.ul.empty()) continue;
    for (int age = std::max(s.min_age, 1); age <= 120; ++age) {
      Person p;
      p.age = age;
      EXPECT_TRUE(UpperLimitFor(s, p).has_value()) << s.id << " age " << age;
    }
  }
}

TEST(KnowledgeBaseValidatorTest, EveryNameFindsItsOwnEntry) {
  const KnowledgeBase& kb = *Kb();
  for (std::size_t i = 0; i < kb.supplements().size(); ++i) {
    const Supplement& s = kb.supplements()[i];
    for (const std::string& name : {s.name.es, s.name.en, s.id}) {
      const MatchResult m = kb.matcher().Match(name);
      ASSERT_FALSE(m.matches.empty()) << name;
      EXPECT_EQ(m.matches.front().ref.index, i) << name;
    }
    for (const std::string& alias : s.aliases) {
      const MatchResult m = kb.matcher().Match(alias);
      ASSERT_FALSE(m.matches.empty()) << alias;
      EXPECT_EQ(kb.IdOf(TermRef{TermKind::kSupplement, m.matches.front().ref.index, 0}), s.id)
          << alias;
    }
  }
  for (const Goal& g : kb.goals()) {
    for (const std::string& alias : g.aliases) {
      const MatchResult m = kb.matcher().Match(alias, MaskOf(TermKind::kGoal));
      ASSERT_EQ(m.matches.size(), 1u) << alias;
      EXPECT_EQ(kb.IdOf(m.matches.front().ref), g.id) << alias;
    }
  }
  for (const Drug& d : kb.drugs()) {
    for (const std::string& name : {d.name.es, d.name.en}) {
      const MatchResult m = kb.matcher().Match(name, MaskOf(TermKind::kDrug));
      ASSERT_EQ(m.matches.size(), 1u) << name;
      EXPECT_EQ(kb.IdOf(m.matches.front().ref), d.id) << name;
    }
  }
}

TEST(KnowledgeBaseValidatorTest, EveryUpperLimitSaysWhetherItCountsFood) {
  for (const Supplement& s : Kb()->supplements()) {
    if (s.ul.empty()) continue;
    EXPECT_TRUE(s.ul_counts_food.has_value()) << s.id << ": set ul_counts_food";
  }
}

// A "separate" rule's note never asks for fewer hours than the rule itself ("separa 4 horas:
// toma el antibiótico 2 horas antes…" contradicts itself).
TEST(KnowledgeBaseValidatorTest, EverySeparationAgreesWithItsNote) {
  for (const Supplement& s : Kb()->supplements()) {
    for (const Interaction& x : s.interactions) {
      if (x.action != SafetyAction::kSeparate) continue;
      for (const std::string& note : {x.note.es, x.note.en}) {
        const std::vector<std::string> words = FoldTokens(note);
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
          const std::string& unit = words[i + 1];
          if (unit.rfind("hora", 0) != 0 && unit.rfind("hour", 0) != 0) continue;
          if (words[i].find_first_not_of("0123456789") != std::string::npos) continue;
          EXPECT_GE(std::stoi(words[i]), x.hours)
              << s.id << " with " << x.target << ": \"" << note << "\"";
        }
      }
    }
  }
}

TEST(KnowledgeBaseValidatorTest, EveryDrugClassHasAMemberDrug) {
  const KnowledgeBase& kb = *Kb();
  for (std::size_t c = 0; c < kb.drug_classes().size(); ++c)
    EXPECT_FALSE(kb.Members(static_cast<std::uint32_t>(c)).empty()) << kb.drug_classes()[c].id;
}

// The EU rule on red yeast rice, and the age limits the engine enforces, hold in the data.
TEST(KnowledgeBaseValidatorTest, AgeLimitsAreOrdered) {
  for (const Supplement& s : Kb()->supplements()) EXPECT_LE(s.min_age, s.max_age) << s.id;
  const Supplement* ryr = Kb()->FindSupplement("red_yeast_rice");
  ASSERT_NE(ryr, nullptr);
  EXPECT_GE(ryr->min_age, 18);
  EXPECT_LE(ryr->max_age, 70);
}

}  // namespace
}  // namespace vitarec::recommend

#include "recommend/KnowledgeBaseParser.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <utility>

#include "recommend/UpperLimit.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;

constexpr int kMaxAge = 120;
constexpr int kMaxAmount = 100'000'000;  // generous: CFU counts are given in millions

constexpr std::array<std::pair<std::string_view, SafetyAction>, 4> kActions = {{
    {"monitor", SafetyAction::kMonitor},
    {"separate", SafetyAction::kSeparate},
    {"ask_doctor", SafetyAction::kAskDoctor},
    {"avoid", SafetyAction::kAvoid},
}};
constexpr std::array<std::pair<std::string_view, Frequency>, 5> kFrequencies = {{
    {"once_daily", Frequency::kOnceDaily},
    {"twice_daily", Frequency::kTwiceDaily},
    {"three_times_daily", Frequency::kThreeTimesDaily},
    {"weekly", Frequency::kWeekly},
    {"as_needed", Frequency::kAsNeeded},
}};
constexpr std::array<std::string_view, 5> kUnits = {"mg", "mcg", "g", "billion_cfu", "tablet"};
constexpr std::array<std::string_view, 6> kCategories = {"vitamin",    "mineral",    "botanical",
                                                         "fatty_acid", "amino_acid", "other"};

// Reads an enum field given as one of the names in `table`.
template <typename T, std::size_t N>
T Enum(JsonReader& r, const json::object& obj, std::string_view key, std::string_view place,
       const std::array<std::pair<std::string_view, T>, N>& table) {
  const std::string name = r.String(obj, key, place);
  if (!r.ok()) return table[0].second;
  for (const auto& [n, value] : table)
    if (n == name) return value;
  std::string names;
  for (const auto& [n, value] : table) names += (names.empty() ? "" : ", ") + std::string(n);
  r.Fail(JsonReader::Join(place, key), "must be one of " + names);
  return table[0].second;
}

std::vector<std::string> Aliases(JsonReader& r, const json::object& obj, std::string_view place) {
  return r.Strings(obj, "aliases", place, /*required=*/false);
}

Population ReadPopulation(JsonReader& r, const json::object& obj, std::string_view place) {
  Population who;
  if (const json::value* age = obj.if_contains("age")) {
    const std::string here = JsonReader::Join(place, "age");
    if (!age->is_array() || age->get_array().size() != 2 || !age->get_array()[0].is_int64() ||
        !age->get_array()[1].is_int64()) {
      r.Fail(here, "must be [min, max] in whole years");
      return who;
    }
    who.age_min = static_cast<int>(age->get_array()[0].get_int64());
    who.age_max = static_cast<int>(age->get_array()[1].get_int64());
    if (who.age_min < 0 || who.age_max > kMaxAge || who.age_min > who.age_max)
      r.Fail(here, "must satisfy 0 <= min <= max <= 120");
  }
  if (obj.contains("sex")) {
    const std::string sex = r.String(obj, "sex", place);
    if (sex == "female") {
      who.sex = Sex::kFemale;
    } else if (sex == "male") {
      who.sex = Sex::kMale;
    } else {
      r.Fail(JsonReader::Join(place, "sex"), "must be \"female\" or \"male\"");
    }
  }
  if (obj.contains("stage")) {
    const std::string stage = r.String(obj, "stage", place);
    if (stage == "pregnancy") {
      who.stage = LifeStage::kPregnancy;
    } else if (stage == "lactation") {
      who.stage = LifeStage::kLactation;
    } else {
      r.Fail(JsonReader::Join(place, "stage"), "must be \"pregnancy\" or \"lactation\"");
    }
  }
  return who;
}

// A list of population rows (evidence "who", a form's "made_for"); empty when absent.
std::vector<Population> ReadPopulations(JsonReader& r, const json::object& obj,
                                        std::string_view key, std::string_view place) {
  std::vector<Population> out;
  const std::string here = JsonReader::Join(place, key);
  const auto rows = r.Objects(obj, key, place, /*required=*/false);
  for (std::size_t i = 0; i < rows.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(here, i);
    r.OnlyKeys(*rows[i], {"age", "sex", "stage"}, at);
    out.push_back(ReadPopulation(r, *rows[i], at));
  }
  return out;
}

// An intake table; `whole` requires whole-number amounts (upper limits, compared with doses).
std::vector<IntakeRow> ReadIntakes(JsonReader& r, const json::object& obj, std::string_view key,
                                   std::string_view place, bool whole) {
  std::vector<IntakeRow> rows;
  const std::string here = JsonReader::Join(place, key);
  const auto items = r.Objects(obj, key, place, /*required=*/false);
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(here, i);
    r.OnlyKeys(*items[i], {"age", "sex", "stage", "amount"}, at);
    IntakeRow row;
    row.who = ReadPopulation(r, *items[i], at);
    row.amount = whole ? r.Int(*items[i], "amount", at, 0, kMaxAmount)
                       : r.Number(*items[i], "amount", at, 0, kMaxAmount);
    rows.push_back(row);
  }
  return rows;
}

Dose ReadDose(JsonReader& r, const json::object& obj, std::string_view place) {
  Dose dose;
  r.OnlyKeys(obj, {"amount", "unit", "frequency", "rules"}, place);
  dose.amount = r.Int(obj, "amount", place, 1, kMaxAmount);
  dose.unit = r.String(obj, "unit", place);
  if (r.ok() && std::find(kUnits.begin(), kUnits.end(), dose.unit) == kUnits.end())
    r.Fail(JsonReader::Join(place, "unit"), "must be one of mg, mcg, g, billion_cfu, tablet");
  dose.frequency = Enum(r, obj, "frequency", place, kFrequencies);
  const std::string here = JsonReader::Join(place, "rules");
  const auto rules = r.Objects(obj, "rules", place, /*required=*/false);
  for (std::size_t i = 0; i < rules.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(here, i);
    r.OnlyKeys(*rules[i], {"age", "sex", "stage", "amount"}, at);
    DoseRule rule;
    rule.who = ReadPopulation(r, *rules[i], at);
    rule.amount = r.Int(*rules[i], "amount", at, 1, kMaxAmount);
    dose.rules.push_back(rule);
  }
  return dose;
}

// What a form changes from its supplement (its own dose, upper limit, contents); see Form.
void ReadFormSpecifics(JsonReader& r, const json::object& obj, std::string_view place, Form& form) {
  if (obj.contains("dose"))
    if (const json::object* dose = r.Object(obj, "dose", place))
      form.dose = ReadDose(r, *dose, JsonReader::Join(place, "dose"));
  if (obj.contains("ul")) form.ul = ReadIntakes(r, obj, "ul", place, /*whole=*/true);
  if (obj.contains("ul_note")) form.ul_note = r.Text(obj, "ul_note", place);
  form.made_for = ReadPopulations(r, obj, "made_for", place);
  const std::string here = JsonReader::Join(place, "contains");
  const auto items = r.Objects(obj, "contains", place, /*required=*/false);
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(here, i);
    r.OnlyKeys(*items[i], {"supplement", "form", "amount"}, at);
    Content content;
    content.supplement = r.String(*items[i], "supplement", at);
    content.form = r.String(*items[i], "form", at, /*required=*/false);
    content.amount = r.Int(*items[i], "amount", at, 1, kMaxAmount);
    form.contains.push_back(std::move(content));
  }
}

std::vector<Suggestion> ReadSuggestions(JsonReader& r, const json::object& obj,
                                        std::string_view place) {
  std::vector<Suggestion> out;
  const std::string here = JsonReader::Join(place, "suggests");
  const auto items = r.Objects(obj, "suggests", place, /*required=*/false);
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(here, i);
    r.OnlyKeys(*items[i], {"supplement", "reason"}, at);
    out.push_back({r.String(*items[i], "supplement", at), r.Text(*items[i], "reason", at)});
  }
  return out;
}

}  // namespace

std::string_view SafetyActionName(SafetyAction action) {
  for (const auto& [name, value] : kActions)
    if (value == action) return name;
  return "ask_doctor";
}

std::string_view FrequencyName(Frequency frequency) {
  for (const auto& [name, value] : kFrequencies)
    if (value == frequency) return name;
  return "once_daily";
}

Supplement ParseSupplement(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj,
             {"id", "category", "name", "aliases", "forms", "dose", "timing", "min_age", "max_age",
              "rda", "ul", "ul_efsa", "ul_counts_food", "ul_note", "evidence", "contraindications",
              "interactions", "sources"},
             place);
  Supplement s;
  s.id = r.String(obj, "id", place);
  s.category = r.String(obj, "category", place);
  if (r.ok() && std::find(kCategories.begin(), kCategories.end(), s.category) == kCategories.end())
    r.Fail(JsonReader::Join(place, "category"),
           "must be vitamin, mineral, botanical, fatty_acid, amino_acid or other");
  s.name = r.Text(obj, "name", place);
  s.aliases = Aliases(r, obj, place);

  const std::string forms_place = JsonReader::Join(place, "forms");
  const auto forms = r.Objects(obj, "forms", place);
  if (r.ok() && forms.empty()) r.Fail(forms_place, "must list at least one form");
  for (std::size_t i = 0; i < forms.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(forms_place, i);
    r.OnlyKeys(*forms[i],
               {"id", "name", "aliases", "notes", "dose", "ul", "ul_note", "contains", "made_for"},
               at);
    Form form;
    form.id = r.String(*forms[i], "id", at);
    form.name = r.Text(*forms[i], "name", at);
    form.aliases = Aliases(r, *forms[i], at);
    form.notes = r.Text(*forms[i], "notes", at);
    ReadFormSpecifics(r, *forms[i], at, form);
    s.forms.push_back(std::move(form));
  }

  if (const json::object* dose = r.Object(obj, "dose", place))
    s.dose = ReadDose(r, *dose, JsonReader::Join(place, "dose"));
  s.timing = r.Text(obj, "timing", place);
  s.min_age = r.Int(obj, "min_age", place, 0, kMaxAge, 18);
  s.max_age = r.Int(obj, "max_age", place, s.min_age, kMaxAge, kMaxAge);
  s.rda = ReadIntakes(r, obj, "rda", place, /*whole=*/false);
  s.ul_iom = ReadIntakes(r, obj, "ul", place, /*whole=*/true);
  s.ul_efsa = ReadIntakes(r, obj, "ul_efsa", place, /*whole=*/true);
  s.ul = LowerOfTables(s.ul_iom, s.ul_efsa);
  if (obj.contains("ul_counts_food")) s.ul_counts_food = r.Bool(obj, "ul_counts_food", place);
  if (obj.contains("ul_note")) s.ul_note = r.Text(obj, "ul_note", place);

  const std::string evidence_place = JsonReader::Join(place, "evidence");
  const auto evidence = r.Objects(obj, "evidence", place);
  if (r.ok() && evidence.empty()) r.Fail(evidence_place, "must grade at least one goal");
  for (std::size_t i = 0; i < evidence.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(evidence_place, i);
    r.OnlyKeys(*evidence[i], {"goal", "grade", "summary", "who", "caution"}, at);
    Evidence e;
    e.goal = r.String(*evidence[i], "goal", at);
    const std::string grade = r.String(*evidence[i], "grade", at);
    if (r.ok() && (grade.size() != 1 || grade[0] < 'A' || grade[0] > 'D'))
      r.Fail(JsonReader::Join(at, "grade"), "must be one of A, B, C, D");
    e.grade = grade.empty() ? 'D' : grade[0];
    e.summary = r.Text(*evidence[i], "summary", at);
    e.who = ReadPopulations(r, *evidence[i], "who", at);
    if (evidence[i]->contains("caution")) e.caution = r.Text(*evidence[i], "caution", at);
    s.evidence.push_back(std::move(e));
  }

  const std::string contra_place = JsonReader::Join(place, "contraindications");
  const auto contras = r.Objects(obj, "contraindications", place, /*required=*/false);
  for (std::size_t i = 0; i < contras.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(contra_place, i);
    r.OnlyKeys(*contras[i], {"condition", "action", "note"}, at);
    Contraindication c;
    c.condition = r.String(*contras[i], "condition", at);
    c.action = Enum(r, *contras[i], "action", at, kActions);
    if (r.ok() && c.action == SafetyAction::kSeparate)
      r.Fail(JsonReader::Join(at, "action"), "\"separate\" only applies to drug interactions");
    c.note = r.Text(*contras[i], "note", at);
    s.contraindications.push_back(std::move(c));
  }

  const std::string inter_place = JsonReader::Join(place, "interactions");
  const auto inters = r.Objects(obj, "interactions", place, /*required=*/false);
  for (std::size_t i = 0; i < inters.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(inter_place, i);
    r.OnlyKeys(*inters[i], {"with", "action", "hours", "note"}, at);
    Interaction x;
    x.target = r.String(*inters[i], "with", at);
    x.action = Enum(r, *inters[i], "action", at, kActions);
    if (x.action == SafetyAction::kSeparate) {
      x.hours = r.Int(*inters[i], "hours", at, 1, 24);
    } else if (r.ok() && inters[i]->contains("hours")) {
      r.Fail(JsonReader::Join(at, "hours"), "only applies to the action \"separate\"");
    }
    x.note = r.Text(*inters[i], "note", at);
    s.interactions.push_back(std::move(x));
  }

  const std::string sources_place = JsonReader::Join(place, "sources");
  const auto sources = r.Objects(obj, "sources", place);
  if (r.ok() && sources.empty()) r.Fail(sources_place, "must list at least one source");
  for (std::size_t i = 0; i < sources.size() && r.ok(); ++i) {
    const std::string at = JsonReader::Index(sources_place, i);
    r.OnlyKeys(*sources[i], {"title", "url"}, at);
    Source src{r.String(*sources[i], "title", at), r.String(*sources[i], "url", at)};
    if (r.ok() && src.url.rfind("https://", 0) != 0)
      r.Fail(JsonReader::Join(at, "url"), "must be an https:// address");
    s.sources.push_back(std::move(src));
  }
  return s;
}

Goal ParseGoal(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj, {"id", "name", "aliases"}, place);
  return Goal{r.String(obj, "id", place), r.Text(obj, "name", place), Aliases(r, obj, place)};
}

Condition ParseCondition(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj, {"id", "name", "aliases", "suggests", "goal"}, place);
  Condition c;
  c.id = r.String(obj, "id", place);
  c.name = r.Text(obj, "name", place);
  c.aliases = Aliases(r, obj, place);
  c.suggests = ReadSuggestions(r, obj, place);
  c.goal = r.String(obj, "goal", place, /*required=*/false);
  return c;
}

DrugClass ParseDrugClass(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj, {"id", "name", "aliases", "parents", "class_effect"}, place);
  DrugClass c;
  c.id = r.String(obj, "id", place);
  c.name = r.Text(obj, "name", place);
  c.aliases = Aliases(r, obj, place);
  c.parents = r.Strings(obj, "parents", place, /*required=*/false);
  if (obj.contains("class_effect")) c.class_effect = r.Bool(obj, "class_effect", place);
  return c;
}

Drug ParseDrug(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj, {"id", "name", "aliases", "classes"}, place);
  Drug d;
  d.id = r.String(obj, "id", place);
  d.name = r.Text(obj, "name", place);
  d.aliases = Aliases(r, obj, place);
  d.classes = r.Strings(obj, "classes", place, /*required=*/false);
  return d;
}

Diet ParseDiet(JsonReader& r, const json::object& obj, std::string_view place) {
  r.OnlyKeys(obj, {"id", "name", "aliases", "suggests"}, place);
  Diet d;
  d.id = r.String(obj, "id", place);
  d.name = r.Text(obj, "name", place);
  d.aliases = Aliases(r, obj, place);
  d.suggests = ReadSuggestions(r, obj, place);
  return d;
}

}  // namespace vitarec::recommend

// Loading stops at the first malformed or inconsistent file and says where and why.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "recommend/KnowledgeBase.h"
#include "recommend/KnowledgeBaseLoader.h"

namespace vitarec::recommend {
namespace {

// A small valid knowledge base; cases replace one file of it.
const char* kGoals = R"({"goals": [{"id": "sleep", "name": {"es": "dormir", "en": "sleep"},
  "aliases": ["insomnio"]}]})";
const char* kDrugs = R"({"drug_classes": [{"id": "anticoagulants",
  "name": {"es": "anticoagulantes", "en": "anticoagulants"}}],
  "drugs": [{"id": "warfarin", "name": {"es": "warfarina", "en": "warfarin"},
  "classes": ["anticoagulants"]}]})";
const char* kConditions = R"({"conditions": [{"id": "pregnancy",
  "name": {"es": "embarazo", "en": "pregnancy"}}]})";

std::string Supplement(const std::string& patch_key = "", const std::string& patch_value = "") {
  std::string fields = R"("id": "magnesium", "category": "mineral",
    "name": {"es": "Magnesio", "en": "Magnesium"}, "aliases": ["magnesio"],
    "forms": [{"id": "citrate", "name": {"es": "Citrato de magnesio", "en": "Magnesium citrate"},
               "notes": {"es": "bien absorbido", "en": "well absorbed"}}],
    "dose": {"amount": 200, "unit": "mg", "frequency": "once_daily"},
    "timing": {"es": "con la cena", "en": "with dinner"},
    "ul": [{"age": [9, 120], "amount": 350}],
    "evidence": [{"goal": "sleep", "grade": "C", "summary": {"es": "algo", "en": "some"}}],
    "interactions": [{"with": "warfarin", "action": "monitor", "note": {"es": "n", "en": "n"}}],
    "sources": [{"title": "ODS", "url": "https://ods.od.nih.gov/"}])";
  if (!patch_key.empty()) fields += ", \"" + patch_key + "\": " + patch_value;
  return "{\"supplements\": [{" + fields + "}]}";
}

core::Result<std::shared_ptr<const KnowledgeBase>> Load(const std::string& supplements,
                                                        const std::string& goals = kGoals) {
  const std::vector<std::string> contents = {supplements, goals, kDrugs, kConditions};
  const std::vector<core::EmbeddedFile> files = {{"supplements/minerals.json", contents[0]},
                                                 {"goals.json", contents[1]},
                                                 {"drugs.json", contents[2]},
                                                 {"conditions.json", contents[3]},
                                                 {"README.md", "not json, ignored"}};
  return LoadKnowledgeBaseFiles(files);
}

TEST(KnowledgeBaseLoadTest, LoadsAValidSet) {
  auto kb = Load(Supplement());
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ((*kb)->SupplementCount(), 1u);
  EXPECT_EQ((*kb)->GoalCount(), 1u);
  EXPECT_NE((*kb)->FindSupplement("magnesium"), nullptr);
}

struct BrokenCase {
  std::string name;
  std::string supplements;
  std::string expected;  // the error message must contain it
  std::string goals = kGoals;
};
void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class BrokenKnowledgeBaseTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenKnowledgeBaseTest, StopsWithFilePlaceAndReason) {
  const auto kb = Load(GetParam().supplements, GetParam().goals);
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(kb.error().message.find(GetParam().expected), std::string::npos) << kb.error().message;
}

// Replaces the first occurrence of `from` in the valid supplement.
std::string Edit(const std::string& from, const std::string& to) {
  std::string s = Supplement();
  s.replace(s.find(from), from.size(), to);
  return s;
}

// The valid supplement with one more field in its form.
std::string WithFormField(const std::string& field) {
  const std::string notes = R"("notes": {"es": "bien absorbido", "en": "well absorbed"})";
  return Edit(notes, notes + ", " + field);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BrokenKnowledgeBaseTest,
    ::testing::Values(
        BrokenCase{"SyntaxError", "{\"supplements\": [\n  {\"id\": }\n]}",
                   "supplements/minerals.json: line 2, column"},
        BrokenCase{"NotAnObject", "[1, 2]",
                   "supplements/minerals.json: (top): must be a JSON object"},
        BrokenCase{"UnknownTopLevelKey", R"({"suplements": []})",
                   "supplements/minerals.json: suplements: is not a known field"},
        BrokenCase{"MissingField",
                   Edit(R"("timing": {"es": "con la cena", "en": "with dinner"},)", ""),
                   "supplements/minerals.json: supplements[0].timing: is required"},
        BrokenCase{"MissingTranslation", Edit(R"("en": "Magnesium")", R"("fr": "Magnésium")"),
                   "supplements[0].name.fr: is not a known field"},
        BrokenCase{"WrongType", Edit(R"("amount": 200)", R"("amount": "200")"),
                   "supplements[0].dose.amount: must be a whole number"},
        BrokenCase{"NegativeUpperLimit", Edit(R"("amount": 350)", R"("amount": -1)"),
                   "supplements[0].ul[0].amount"},
        BrokenCase{"BadGrade", Edit(R"("grade": "C")", R"("grade": "E")"),
                   "supplements[0].evidence[0].grade: must be one of A, B, C, D"},
        BrokenCase{"BadAction", Edit(R"("action": "monitor")", R"("action": "maybe")"),
                   "supplements[0].interactions[0].action: must be one of"},
        BrokenCase{"MisspeltField", Supplement("dosis", "{}"),
                   "supplements[0].dosis: is not a known field"},
        BrokenCase{"UnknownGoal", Edit(R"("goal": "sleep")", R"("goal": "slep")"),
                   "supplements[0].evidence[0].goal: unknown goal \"slep\""},
        BrokenCase{"UnknownDrug", Edit(R"("with": "warfarin")", R"("with": "warfarine")"),
                   "supplements[0].interactions[0].with: unknown drug or drug class \"warfarine\""},
        BrokenCase{"BadId", Edit(R"("id": "magnesium")", R"("id": "Magnesium Citrate")"),
                   "supplements[0].id: \"Magnesium Citrate\" must be snake_case"},
        BrokenCase{"InsecureSource", Edit("https://ods", "http://ods"),
                   "supplements[0].sources[0].url: must be an https:// address"},
        BrokenCase{"AliasNamesTwoEntries",
                   Edit(R"("aliases": ["magnesio"])", R"("aliases": ["insomnio"])"),
                   "goals.json: goals[0].aliases[0]: the alias \"insomnio\" already names the "
                   "supplement \"magnesium\""},
        BrokenCase{"NoGoals", Supplement(), "at least one supplement and one goal",
                   R"({"goals": []})"},
        // A form's own fields.
        BrokenCase{
            "FormDoseInAnotherUnit",
            WithFormField(R"("dose": {"amount": 2, "unit": "g", "frequency": "once_daily"})"),
            "supplements[0].forms[0].dose: must keep the supplement's unit \"mg\""},
        BrokenCase{"FormContainsAnUnknownSupplement",
                   WithFormField(R"("contains": [{"supplement": "zinc", "amount": 5}])"),
                   "supplements[0].forms[0].contains[0].supplement: \"zinc\" must be another"},
        BrokenCase{"FormContainsItself",
                   WithFormField(R"("contains": [{"supplement": "magnesium", "amount": 5}])"),
                   "forms[0].contains[0].supplement"},
        BrokenCase{"FormContainsZero",
                   WithFormField(R"("contains": [{"supplement": "magnesium", "amount": 0}])"),
                   "forms[0].contains[0].amount"},
        BrokenCase{"FormMisspeltField", WithFormField(R"("contiene": [])"),
                   "supplements[0].forms[0].contiene: is not a known field"},
        // An evidence entry's groups.
        BrokenCase{"EvidenceGroupBadSex",
                   Edit(R"("summary": {"es": "algo", "en": "some"})",
                        R"("summary": {"es": "algo", "en": "some"}, "who": [{"sex": "woman"}])"),
                   "supplements[0].evidence[0].who[0].sex: must be \"female\" or \"male\""},
        BrokenCase{"EvidenceCautionUntranslated",
                   Edit(R"("summary": {"es": "algo", "en": "some"})",
                        R"("summary": {"es": "algo", "en": "some"}, "caution": {"es": "solo"})"),
                   "supplements[0].evidence[0].caution.en: is required"}),
    [](const auto& info) { return info.param.name; });

TEST(KnowledgeBaseLoadTest, DuplicateIdsAcrossFilesNameBothPlaces) {
  const std::string one = Supplement();
  const std::vector<core::EmbeddedFile> files = {{"a.json", one},
                                                 {"b.json", one},
                                                 {"goals.json", kGoals},
                                                 {"drugs.json", kDrugs},
                                                 {"conditions.json", kConditions}};
  const auto kb = LoadKnowledgeBaseFiles(files);
  ASSERT_FALSE(kb);
  EXPECT_NE(kb.error().message.find("b.json: supplements[0].id: the supplement id \"magnesium\" "
                                    "is also used at a.json: supplements[0]"),
            std::string::npos)
      << kb.error().message;
}

TEST(KnowledgeBaseLoadTest, LoadDirectoryReadsJsonFilesRecursively) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() /
      ("vitarec-kb-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  fs::create_directories(dir / "supplements");
  std::ofstream(dir / "supplements" / "minerals.json") << Supplement();
  std::ofstream(dir / "goals.json") << kGoals;
  std::ofstream(dir / "drugs.json") << kDrugs;
  std::ofstream(dir / "conditions.json") << kConditions;
  std::ofstream(dir / "README.md") << "# notes";
  auto kb = LoadKnowledgeBaseDirectory(dir.string());
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ((*kb)->SupplementCount(), 1u);

  std::ofstream(dir / "goals.json") << "{\"goals\": [";
  kb = LoadKnowledgeBaseDirectory(dir.string());
  ASSERT_FALSE(kb);
  EXPECT_NE(kb.error().message.find("goals.json: line 1"), std::string::npos) << kb.error().message;
  fs::remove_all(dir);
}

TEST(KnowledgeBaseLoadTest, LoadDirectoryFailsClearlyForAMissingDirectory) {
  const auto kb = LoadKnowledgeBaseDirectory("/nonexistent/vitarec-data");
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(kb.error().message.find("/nonexistent/vitarec-data"), std::string::npos);
}

TEST(KnowledgeBaseLoadTest, EmbeddedDataLoads) {
  auto kb = LoadEmbeddedKnowledgeBase();
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_GE((*kb)->SupplementCount(), 60u);
}

}  // namespace
}  // namespace vitarec::recommend

// The engine as the job runner sees it: stages in order, cancellation through the listener, the
// output shape, locales, and queries that match nothing.
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "recommend/Engine.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;
using support::FindItem;
using support::Kb;
using support::RecordingListener;
using support::RunQuery;
using support::Strings;

TEST(EngineTest, ReportsTheFourStagesInOrder) {
  Engine engine(Kb());
  RecordingListener listener;
  RecommendRequest request;
  request.query = "magnesio";
  ASSERT_TRUE(engine.Recommend(request, listener));
  EXPECT_EQ(listener.stages, (std::vector<Stage>{Stage::kUnderstand, Stage::kCandidates,
                                                 Stage::kSafety, Stage::kCompose}));
}

// Stops at the given stage with kCancelled.
class CancellingListener : public StageListener {
 public:
  explicit CancellingListener(Stage stop_at) : stop_at_(stop_at) {}
  core::Result<void> OnStage(Stage stage) override {
    seen.push_back(stage);
    if (stage == stop_at_) return core::Fail(core::ErrorCode::kCancelled, "cancelled by test");
    return {};
  }
  std::vector<Stage> seen;

 private:
  Stage stop_at_;
};

class EngineCancellationTest : public ::testing::TestWithParam<Stage> {};

TEST_P(EngineCancellationTest, StopsAtOnceAndReturnsTheListenersError) {
  Engine engine(Kb());
  CancellingListener listener(GetParam());
  RecommendRequest request;
  request.query = "dormir mejor";
  auto out = engine.Recommend(request, listener);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, core::ErrorCode::kCancelled);
  EXPECT_EQ(out.error().message, "cancelled by test");
  EXPECT_EQ(listener.seen.back(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(EveryStage, EngineCancellationTest,
                         ::testing::Values(Stage::kUnderstand, Stage::kCandidates, Stage::kSafety,
                                           Stage::kCompose));

TEST(EngineTest, MagnesioGivesMagnesiumWithAPersonalDoseInTheDocumentedShape) {
  const auto out = RunQuery("magnesio");
  EXPECT_EQ(out.at("query").as_string(), "magnesio");
  EXPECT_EQ(out.at("locale").as_string(), "es");
  ASSERT_FALSE(out.at("items").as_array().empty());
  const auto& item = out.at("items").as_array().front().as_object();
  EXPECT_EQ(item.at("supplement").at("id").as_string(), "magnesium");
  EXPECT_EQ(item.at("supplement").at("name").as_string(), "Magnesio");
  EXPECT_TRUE(item.at("form").is_string());
  const auto& dose = item.at("dose").as_object();
  EXPECT_TRUE(dose.at("amount").is_int64());
  EXPECT_GT(dose.at("amount").as_int64(), 0);
  EXPECT_EQ(dose.at("unit").as_string(), "mg");
  EXPECT_EQ(dose.at("frequency").as_string(), "una vez al día");
  EXPECT_FALSE(item.at("timing").as_string().empty());
  EXPECT_EQ(item.at("evidence").at("grade").as_string().size(), 1u);
  EXPECT_FALSE(item.at("evidence").at("summary").as_string().empty());
  for (const char* key : {"reasons", "warnings", "interactions", "sources"})
    EXPECT_TRUE(item.at(key).is_array()) << key;
  EXPECT_FALSE(item.at("sources").as_array().empty());
  for (const char* key : {"matched", "items", "warnings", "suggestions", "disclaimer", "excluded"})
    EXPECT_TRUE(out.contains(key)) << key;
}

// Boost.JSON 1.81 prints doubles as 9.731E-1; the output must hold none.
bool HasDouble(const json::value& v) {
  if (v.is_double()) return true;
  if (v.is_array())
    for (const auto& x : v.as_array())
      if (HasDouble(x)) return true;
  if (v.is_object())
    for (const auto& kv : v.as_object())
      if (HasDouble(kv.value())) return true;
  return false;
}

TEST(EngineTest, OutputHasNoFloatingPointNumbers) {
  for (const char* q : {"magnesio", "dormir mejor", "vitamin b12", "huesos fuertes", "cafeína"})
    EXPECT_FALSE(HasDouble(RunQuery(q))) << q;
}

TEST(EngineTest, EnglishLocaleWritesEverythingInEnglish) {
  const auto out = RunQuery("magnesio", "en");
  EXPECT_EQ(out.at("locale").as_string(), "en");
  const auto* item = FindItem(out, "magnesium");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("supplement").at("name").as_string(), "Magnesium");
  EXPECT_EQ(item->at("dose").at("frequency").as_string(), "once a day");
  EXPECT_NE(out.at("disclaimer").as_string().find("not medical advice"), std::string::npos);
}

TEST(EngineTest, NamedFormIsTheFormGiven) {
  const auto out = RunQuery("citrato de magnesio");
  const auto* item = FindItem(out, "magnesium");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->at("form").as_string(), "Citrato de magnesio");
}

TEST(EngineTest, TypoIsCorrectedAndReported) {
  const auto out = RunQuery("magnecio");
  EXPECT_NE(FindItem(out, "magnesium"), nullptr);
  const auto& corrections = out.at("matched").at("corrections").as_array();
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0].at("from").as_string(), "magnecio");
  EXPECT_EQ(corrections[0].at("to").as_string(), "Magnesio");
}

TEST(EngineTest, GoalQueryGivesSeveralItemsBestEvidenceFirst) {
  const auto out = RunQuery("huesos fuertes");
  const auto& items = out.at("items").as_array();
  ASSERT_GE(items.size(), 2u);
  std::string previous = "A";
  for (const auto& item : items) {
    const std::string grade(item.at("evidence").at("grade").as_string());
    EXPECT_GE(grade, previous) << "items must be ranked best evidence first";
    previous = grade;
  }
}

struct UnmatchedCase {
  std::string query;
  std::string locale;
  std::string message_part;
  std::string suggestion;  // expected among the suggestions; empty: any
};
void PrintTo(const UnmatchedCase& c, std::ostream* os) { *os << c.query; }

class UnmatchedQueryTest : public ::testing::TestWithParam<UnmatchedCase> {};

TEST_P(UnmatchedQueryTest, CompletesWithNoItemsAndSuggestions) {
  const auto& c = GetParam();
  const auto out = RunQuery(c.query, c.locale);
  EXPECT_TRUE(out.at("items").as_array().empty());
  const auto suggestions = Strings(out, "suggestions");
  EXPECT_FALSE(suggestions.empty());
  EXPECT_NE(out.at("message").as_string().find(c.message_part), std::string::npos);
  if (!c.suggestion.empty()) {
    EXPECT_NE(std::find(suggestions.begin(), suggestions.end(), c.suggestion), suggestions.end());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, UnmatchedQueryTest,
    ::testing::Values(UnmatchedCase{"magnezzzio", "es", "¿Querías decir", "Magnesio"},
                      UnmatchedCase{"melatoxxxn", "en", "Did you mean", "Melatonin"},
                      UnmatchedCase{"xqzwv", "es", "Prueba con", ""},
                      UnmatchedCase{"'; DROP TABLE jobs; --", "es", "Prueba con", ""},
                      UnmatchedCase{"<img src=x onerror=alert(1)>", "en", "", ""}));

TEST(EngineTest, QueryNamingOnlyADrugListsWhatToAvoidWithIt) {
  const auto out = RunQuery("warfarina");
  EXPECT_TRUE(out.at("items").as_array().empty());
  const auto warnings = Strings(out, "warnings");
  EXPECT_TRUE(support::AnyContains(warnings, "Si tomas warfarina"));
  EXPECT_TRUE(support::AnyContains(warnings, "ginkgo"));
}

TEST(EngineTest, IsDeterministic) {
  const auto a = json::serialize(RunQuery("dormir mejor magnesio"));
  const auto b = json::serialize(RunQuery("dormir mejor magnesio"));
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace vitarec::recommend

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "recommend/KnowledgeBaseLoader.h"

namespace vitarec::recommend::support {

namespace json = boost::json;

const std::shared_ptr<const KnowledgeBase>& Kb() {
  static const std::shared_ptr<const KnowledgeBase> kb = [] {
    auto loaded = LoadEmbeddedKnowledgeBase();
    if (!loaded) {
      std::cerr << "knowledge base does not load: " << loaded.error().message << "\n";
      std::abort();
    }
    return *loaded;
  }();
  return kb;
}

QuizAnswers Answers(std::optional<int> age, std::string sex, bool pregnant, bool lactating) {
  QuizAnswers a;
  a.age = age;
  a.sex = std::move(sex);
  a.pregnant = pregnant;
  a.lactating = lactating;
  return a;
}

RecommendRequest MakeRequest(std::string query, std::string locale,
                             std::optional<QuizAnswers> answers) {
  RecommendRequest request;
  request.query = std::move(query);
  request.locale = std::move(locale);
  request.answers = std::move(answers);
  return request;
}

json::object RunRequest(const RecommendRequest& request) {
  Engine engine(Kb());
  RecordingListener listener;
  auto out = engine.Recommend(request, listener);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return out ? *out : json::object{};
}

json::object RunQuery(const std::string& query, const std::string& locale) {
  RecommendRequest request;
  request.query = query;
  request.locale = locale;
  return RunRequest(request);
}

std::vector<std::string> ItemIds(const json::object& recommendation) {
  std::vector<std::string> ids;
  for (const json::value& item : recommendation.at("items").as_array())
    ids.emplace_back(item.at("supplement").at("id").as_string());
  return ids;
}

const json::object* FindItem(const json::object& recommendation, const std::string& id) {
  for (const json::value& item : recommendation.at("items").as_array())
    if (item.at("supplement").at("id").as_string() == id) return &item.as_object();
  return nullptr;
}

std::vector<std::string> ExcludedIds(const json::object& recommendation) {
  std::vector<std::string> ids;
  for (const json::value& item : recommendation.at("excluded").as_array())
    ids.emplace_back(item.at("supplement").at("id").as_string());
  return ids;
}

std::vector<std::string> Strings(const json::object& obj, const char* key) {
  std::vector<std::string> out;
  for (const json::value& v : obj.at(key).as_array()) out.emplace_back(v.as_string());
  return out;
}

bool AnyContains(const std::vector<std::string>& list, const std::string& needle) {
  for (const std::string& s : list)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

::testing::AssertionResult ItemWarns(const json::object& recommendation, const std::string& id,
                                     const std::string& text) {
  const json::object* item = FindItem(recommendation, id);
  if (item == nullptr) return ::testing::AssertionFailure() << "no item " << id;
  if (AnyContains(Strings(*item, "warnings"), text)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << id << " has no warning with \"" << text << "\"";
}

}  // namespace vitarec::recommend::support

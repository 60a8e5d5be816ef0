#include "TestSupport.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

namespace vitarec::recommend::support {

namespace json = boost::json;

const std::shared_ptr<const KnowledgeBase>& Kb() {
  static const std::shared_ptr<const KnowledgeBase> kb = [] {
    auto loaded = KnowledgeBase::LoadEmbedded();
    if (!loaded) {
      std::cerr << "knowledge base does not load: " << loaded.error().message << "\n";
      std::abort();
    }
    return *loaded;
  }();
  return kb;
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

}  // namespace vitarec::recommend::support

#include "llm/KbSupport.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "recommend/KnowledgeBaseLoader.h"

namespace vitarec::llm::testing {
namespace {

class NoListener : public recommend::StageListener {
 public:
  core::Result<void> OnStage(recommend::Stage) override { return {}; }
};

}  // namespace

const std::shared_ptr<const recommend::KnowledgeBase>& Kb() {
  static const auto kb = [] {
    auto loaded = recommend::LoadEmbeddedKnowledgeBase();
    if (!loaded) std::abort();
    return *loaded;
  }();
  return kb;
}

const SupplementNames& Names() {
  static const SupplementNames names(*Kb());
  return names;
}

boost::json::object Recommend(const recommend::RecommendRequest& request) {
  NoListener listener;
  auto result = recommend::Engine(Kb()).Recommend(request, listener);
  EXPECT_TRUE(result);
  return result ? *result : boost::json::object{};
}

boost::json::object Recommend(const std::string& query, const std::string& locale) {
  recommend::RecommendRequest request;
  request.query = query;
  request.locale = locale;
  return Recommend(request);
}

}  // namespace vitarec::llm::testing

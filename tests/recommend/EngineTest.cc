#include "recommend/Engine.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace vitarec::recommend {
namespace {

class RecordingListener : public StageListener {
 public:
  core::Result<void> OnStage(Stage stage) override {
    stages.push_back(stage);
    return {};
  }
  std::vector<Stage> stages;
};

TEST(EngineSmokeTest, MagnesioFindsMagnesiumWithADose) {
  auto kb = KnowledgeBase::LoadEmbedded();
  ASSERT_TRUE(kb) << kb.error().message;
  Engine engine(*kb);
  RecommendRequest request;
  request.query = "magnesio";
  RecordingListener listener;
  auto out = engine.Recommend(request, listener);
  ASSERT_TRUE(out);
  std::cout << boost::json::serialize(*out) << "\n";
  EXPECT_EQ(listener.stages,
            (std::vector<Stage>{Stage::kUnderstand, Stage::kCandidates, Stage::kSafety,
                                Stage::kCompose}));
}

}  // namespace
}  // namespace vitarec::recommend

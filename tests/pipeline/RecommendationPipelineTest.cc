// The recommendation pipeline's stages, run in order as the runtime runs them, give exactly what
// Engine::Recommend gives; its stages and progress values are the engine's; a stage delay adds
// an awaited stage before each; a stored request that does not parse fails as invalid_argument.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "pipeline/RecommendationPipeline.h"
#include "recommend/Engine.h"
#include "recommend/KnowledgeBaseLoader.h"
#include "recommend/RequestParser.h"

namespace vitarec::pipeline {
namespace {

std::shared_ptr<const recommend::KnowledgeBase> Kb() {
  static auto kb = *recommend::LoadEmbeddedKnowledgeBase();
  return kb;
}

class NoListener final : public recommend::StageListener {
 public:
  core::Result<void> OnStage(recommend::Stage) override { return {}; }
};

store::Job JobFor(const std::string& request_json) {
  store::Job job;
  job.id = "00000000-0000-4000-8000-000000000001";
  job.request_json = request_json;
  job.fence = 1;
  return job;
}

// Runs every CPU stage of `pipeline` in order (the async ones only wait).
core::Result<std::string> RunCpuStages(const RecommendationPipeline& pipeline,
                                       const store::Job& job) {
  auto work = pipeline.Begin(job);
  if (!work) return core::Fail(work.error());
  for (const jobs::Stage& stage : pipeline.stages()) {
    if (!stage.cpu) continue;
    if (auto r = stage.cpu(**work); !r) return core::Fail(r.error());
  }
  return (*work)->Result();
}

TEST(RecommendationPipelineTest, GivesExactlyWhatTheEngineGives) {
  const char* requests[] = {
      R"({"query":"magnesio","locale":"es"})",
      R"({"query":"dormir mejor","locale":"es","answers":{"age":70,"medications":["warfarina"]}})",
      R"({"query":"vitamin D","locale":"en","answers":{"age":30,"sex":"female","pregnant":true}})",
      R"({"answers":{"goals":["sleep"],"conditions":["kidney disease"],"diet":"vegan"}})",
      R"({"query":"xyzzy plugh"})",
  };
  RecommendationPipeline pipeline(Kb(), {});
  recommend::Engine engine(Kb());
  for (const char* text : requests) {
    auto request = recommend::ParseRecommendRequestText(text);
    ASSERT_TRUE(request) << text;
    NoListener listener;
    auto expected = engine.Recommend(*request, listener);
    ASSERT_TRUE(expected);
    auto got = RunCpuStages(pipeline, JobFor(recommend::ToCanonicalJson(*request)));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, boost::json::serialize(*expected)) << text;
  }
}

TEST(RecommendationPipelineTest, DeclaresTheEngineStagesWithTheirProgress) {
  RecommendationPipeline pipeline(Kb(), {});
  std::vector<std::pair<std::string, int>> declared;
  for (const jobs::Stage& stage : pipeline.stages()) {
    EXPECT_TRUE(stage.cpu) << stage.name;
    declared.emplace_back(stage.name, stage.progress);
  }
  EXPECT_EQ(declared,
            (std::vector<std::pair<std::string, int>>{
                {"understand", 10}, {"candidates", 30}, {"safety", 70}, {"compose", 90}}));
  EXPECT_EQ(pipeline.stages()[2].message.For("es"), "Evaluando seguridad e interacciones");
  EXPECT_EQ(pipeline.stages()[2].message.For("en"), "Checking safety and interactions");
  EXPECT_EQ(pipeline.texts().done.For("fr"), "Recomendación lista") << "Spanish by default";
}

TEST(RecommendationPipelineTest, AStageDelayAwaitsBeforeEachStageAtItsProgress) {
  RecommendationPipeline pipeline(Kb(), {core::Millis(5000), 0});
  std::vector<std::pair<std::string, int>> declared;
  for (const jobs::Stage& stage : pipeline.stages()) {
    EXPECT_NE(static_cast<bool>(stage.cpu), static_cast<bool>(stage.async)) << stage.name;
    declared.emplace_back(stage.name, stage.progress);
  }
  EXPECT_EQ(declared, (std::vector<std::pair<std::string, int>>{{"understand_delay", 10},
                                                                {"understand", 10},
                                                                {"candidates_delay", 30},
                                                                {"candidates", 30},
                                                                {"safety_delay", 70},
                                                                {"safety", 70},
                                                                {"compose_delay", 90},
                                                                {"compose", 90}}));
}

TEST(RecommendationPipelineTest, AStoredRequestThatDoesNotParseFailsAsInvalid) {
  RecommendationPipeline pipeline(Kb(), {});
  auto got = RunCpuStages(pipeline, JobFor(R"({"locale":"es"})"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(RecommendationPipelineTest, InjectedFaultsFailTheFirstRunsOnly) {
  RecommendationPipeline pipeline(Kb(), {core::Millis(0), 2});
  store::Job job = JobFor(R"({"query":"magnesio"})");
  for (std::int64_t fence : {1, 2}) {
    job.fence = fence;
    auto got = RunCpuStages(pipeline, job);
    ASSERT_FALSE(got) << "run " << fence;
    EXPECT_EQ(got.error().code, core::ErrorCode::kInternal);
  }
  job.fence = 3;
  EXPECT_TRUE(RunCpuStages(pipeline, job));
}

}  // namespace
}  // namespace vitarec::pipeline

// The recommendation pipeline: what a job of this service does, declared as stages for the
// generic job runtime (jobs/Pipeline.h). Four CPU stages, the engine's own: 10 understand the
// query, 30 gather candidates and evidence, 70 safety and interactions, 90 compose — each the
// engine function of that name (recommend::Understand, GatherCandidates, ReviewSafety,
// Compose), so the result is exactly Engine::Recommend's (tests/pipeline checks it). With a
// stage delay, each stage is preceded by an async stage that awaits that delay on a timer at
// the same progress (demonstrations, browser tests, the slow-work benchmark): a job then waits
// 4 x delay holding no thread.
#pragma once

#include <memory>
#include <vector>

#include "core/Clock.h"
#include "jobs/Pipeline.h"
#include "recommend/KnowledgeBase.h"

namespace vitarec::pipeline {

struct RecommendationPipelineOptions {
  // Extra wall time awaited at each stage. 0 in production.
  core::Millis stage_delay{0};
  // Chaos testing: the first N runs (claims) of every job fail at the first stage with an
  // "injected fault" internal error. 0 in production.
  int fail_first_claims = 0;
};

class RecommendationPipeline final : public jobs::Pipeline {
 public:
  RecommendationPipeline(std::shared_ptr<const recommend::KnowledgeBase> kb,
                         RecommendationPipelineOptions options);

  const std::vector<jobs::Stage>& stages() const override { return stages_; }
  const jobs::LifecycleTexts& texts() const override { return texts_; }
  // Never fails: a stored request that no longer parses fails the first stage
  // (kInvalidArgument, not retryable).
  core::Result<std::unique_ptr<jobs::JobWork>> Begin(const store::Job& job) const override;

  // The texts of the job lifecycle in Spanish and English (also JobService's, for the queued
  // and cancelled messages it writes).
  static jobs::LifecycleTexts Texts();

 private:
  const std::shared_ptr<const recommend::KnowledgeBase> kb_;
  const RecommendationPipelineOptions options_;
  const jobs::LifecycleTexts texts_;
  std::vector<jobs::Stage> stages_;
};

}  // namespace vitarec::pipeline

// The production JobHandler: reads the job's stored request and runs the recommendation engine,
// reporting each stage's progress.
#pragma once

#include "jobs/JobHandler.h"
#include "recommend/Engine.h"

namespace vitarec::jobs {

struct RecommendationHandlerOptions {
  // Extra wall time spent at each stage, for demonstrations and browser tests of the progress
  // display (the engine itself takes microseconds). 0 in production.
  core::Millis stage_delay{0};
  // Chaos testing: the first N runs (claims) of every job fail with an "injected_fault" error,
  // so that failure handling and the retry path can be exercised end to end. 0 in production.
  int fail_first_claims = 0;
};

class RecommendationHandler final : public JobHandler {
 public:
  // `engine` must outlive the handler.
  RecommendationHandler(const recommend::Engine& engine, RecommendationHandlerOptions options);

  // Errors: kInvalidArgument when the stored request no longer parses (not retryable), or
  // what the progress reporter returned.
  core::Result<std::string> Run(const store::Job& job, ProgressReporter& progress) override;

 private:
  const recommend::Engine& engine_;
  const RecommendationHandlerOptions options_;
};

}  // namespace vitarec::jobs

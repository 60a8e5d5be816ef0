#include "jobs/RecommendationHandler.h"

#include <boost/json/serialize.hpp>
#include <thread>

#include "recommend/RequestParser.h"

namespace vitarec::jobs {
namespace {

// Bridges the engine's stage callbacks to the job's progress reporter.
class StageToProgress final : public recommend::StageListener {
 public:
  StageToProgress(ProgressReporter& progress, core::Millis delay)
      : progress_(progress), delay_(delay) {}
  core::Result<void> OnStage(recommend::Stage stage) override {
    if (auto r = progress_.Report(static_cast<int>(stage)); !r) return r;
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    return {};
  }

 private:
  ProgressReporter& progress_;
  const core::Millis delay_;
};

}  // namespace

RecommendationHandler::RecommendationHandler(const recommend::Engine& engine,
                                             RecommendationHandlerOptions options)
    : engine_(engine), options_(options) {}

core::Result<std::string> RecommendationHandler::Run(const store::Job& job,
                                                     ProgressReporter& progress) {
  if (job.fence <= options_.fail_first_claims) {
    if (auto r = progress.Report(static_cast<int>(recommend::Stage::kUnderstand)); !r)
      return core::Fail(r.error());
    return core::Fail(core::ErrorCode::kInternal,
                      "injected fault (run " + std::to_string(job.fence) + " of the first " +
                          std::to_string(options_.fail_first_claims) +
                          " fails by --fail-first-claims)");
  }
  auto request = recommend::ParseRecommendRequestText(job.request_json);
  if (!request) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the stored request is not valid: " + request.error().message);
  }
  StageToProgress listener(progress, options_.stage_delay);
  auto recommendation = engine_.Recommend(*request, listener);
  if (!recommendation) return core::Fail(recommendation.error());
  return boost::json::serialize(*recommendation);
}

}  // namespace vitarec::jobs

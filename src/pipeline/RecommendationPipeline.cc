#include "pipeline/RecommendationPipeline.h"

#include <boost/json/serialize.hpp>

#include "recommend/Candidates.h"
#include "recommend/Composer.h"
#include "recommend/RequestParser.h"
#include "recommend/SafetyReview.h"
#include "recommend/Stage.h"
#include "recommend/Understanding.h"

namespace vitarec::pipeline {
namespace {

using core::ErrorCode;

// One job's way through the engine: each stage reads what the one before left.
class RecommendationWork final : public jobs::JobWork {
 public:
  RecommendationWork(const recommend::KnowledgeBase& kb, std::string request_json,
                     std::optional<std::string> injected_fault)
      : kb_(kb),
        request_json_(std::move(request_json)),
        injected_fault_(std::move(injected_fault)) {}

  core::Result<void> Understand() {
    if (injected_fault_) return core::Fail(ErrorCode::kInternal, *injected_fault_);
    auto request = recommend::ParseRecommendRequestText(request_json_);
    if (!request) {
      return core::Fail(ErrorCode::kInvalidArgument,
                        "the stored request is not valid: " + request.error().message);
    }
    request_ = std::move(*request);
    understanding_ = recommend::Understand(kb_, request_);
    return {};
  }
  core::Result<void> GatherCandidates() {
    candidates_ = recommend::GatherCandidates(kb_, understanding_);
    return {};
  }
  core::Result<void> ReviewSafety() {
    recommend::ReviewSafety(kb_, understanding_, candidates_);
    return {};
  }
  core::Result<void> Compose() {
    result_ = recommend::Compose(kb_, request_, understanding_, candidates_);
    return {};
  }
  core::Result<std::string> Result() override { return boost::json::serialize(result_); }

 private:
  const recommend::KnowledgeBase& kb_;
  const std::string request_json_;
  const std::optional<std::string> injected_fault_;
  recommend::RecommendRequest request_;
  recommend::Understanding understanding_;
  std::vector<recommend::Candidate> candidates_;
  boost::json::object result_;
};

jobs::LocalizedText MessageAt(int progress) {
  return {{"es", std::string(recommend::ProgressMessage(progress, "es"))},
          {"en", std::string(recommend::ProgressMessage(progress, "en"))}};
}

using Step = core::Result<void> (RecommendationWork::*)();

jobs::Stage CpuStage(std::string name, recommend::Stage stage, Step step) {
  jobs::Stage s;
  s.name = std::move(name);
  s.progress = static_cast<int>(stage);
  s.message = MessageAt(s.progress);
  s.cpu = [step](jobs::JobWork& work) { return (static_cast<RecommendationWork&>(work).*step)(); };
  return s;
}

jobs::Stage DelayStage(const jobs::Stage& before, core::Millis delay) {
  jobs::Stage s;
  s.name = before.name + "_delay";
  s.progress = before.progress;
  s.message = before.message;
  s.async = [delay](jobs::JobWork*,
                    jobs::StageIo io) -> boost::asio::awaitable<core::Result<void>> {
    if (co_await io.timers->WaitFor(delay)) co_return core::Result<void>{};
    co_return core::Fail(ErrorCode::kCancelled, "the wait was interrupted");
  };
  return s;
}

}  // namespace

jobs::LifecycleTexts RecommendationPipeline::Texts() {
  jobs::LifecycleTexts t;
  t.queued = MessageAt(recommend::kProgressQueued);
  t.done = MessageAt(recommend::kProgressDone);
  t.failed = {{"es", "La recomendación falló"}, {"en", "The recommendation failed"}};
  t.retrying = {{"es", "Problema temporal; se reintentará en breve"},
                {"en", "Temporary problem; retrying shortly"}};
  t.cancelled = {{"es", "Recomendación cancelada"}, {"en", "Recommendation cancelled"}};
  return t;
}

RecommendationPipeline::RecommendationPipeline(std::shared_ptr<const recommend::KnowledgeBase> kb,
                                               RecommendationPipelineOptions options)
    : kb_(std::move(kb)), options_(options), texts_(Texts()) {
  const jobs::Stage engine[] = {
      CpuStage("understand", recommend::Stage::kUnderstand, &RecommendationWork::Understand),
      CpuStage("candidates", recommend::Stage::kCandidates, &RecommendationWork::GatherCandidates),
      CpuStage("safety", recommend::Stage::kSafety, &RecommendationWork::ReviewSafety),
      CpuStage("compose", recommend::Stage::kCompose, &RecommendationWork::Compose)};
  for (const jobs::Stage& stage : engine) {
    if (options_.stage_delay.count() > 0)
      stages_.push_back(DelayStage(stage, options_.stage_delay));
    stages_.push_back(stage);
  }
}

core::Result<std::unique_ptr<jobs::JobWork>> RecommendationPipeline::Begin(
    const store::Job& job) const {
  std::optional<std::string> fault;
  if (job.fence <= options_.fail_first_claims) {
    fault = "injected fault (run " + std::to_string(job.fence) + " of the first " +
            std::to_string(options_.fail_first_claims) + " fails by --fail-first-claims)";
  }
  return std::unique_ptr<jobs::JobWork>(
      std::make_unique<RecommendationWork>(*kb_, job.request_json, std::move(fault)));
}

}  // namespace vitarec::pipeline

#include "recommend/Engine.h"

#include "recommend/Candidates.h"
#include "recommend/Combination.h"
#include "recommend/Composer.h"
#include "recommend/SafetyReview.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

Engine::Engine(std::shared_ptr<const KnowledgeBase> kb) : kb_(std::move(kb)) {}

core::Result<boost::json::object> Engine::Recommend(const RecommendRequest& request,
                                                    StageListener& listener) const {
  if (auto r = listener.OnStage(Stage::kUnderstand); !r) return core::Fail(r.error());
  const Understanding understanding = Understand(*kb_, request);

  if (auto r = listener.OnStage(Stage::kCandidates); !r) return core::Fail(r.error());
  std::vector<Candidate> candidates = GatherCandidates(*kb_, understanding);

  if (auto r = listener.OnStage(Stage::kSafety); !r) return core::Fail(r.error());
  ReviewSafety(*kb_, understanding, candidates);
  AddUpItems(*kb_, understanding, candidates);

  if (auto r = listener.OnStage(Stage::kCompose); !r) return core::Fail(r.error());
  return Compose(*kb_, request, understanding, candidates);
}

}  // namespace vitarec::recommend

// The recommendation engine: pure and deterministic. It reads the request and the loaded
// knowledge base and returns the `recommendation` object of the status JSON. No I/O, no clock,
// no threads of its own; one Engine may be used by many threads at once (all methods const).
#pragma once

#include <boost/json/object.hpp>
#include <memory>

#include "core/Error.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/Request.h"
#include "recommend/Stage.h"

namespace vitarec::recommend {

// Told when each stage begins. An error returned from OnStage stops the computation at once and
// Recommend returns that same error (used for cancellation and for a lost lease).
class StageListener {
 public:
  virtual ~StageListener() = default;
  virtual core::Result<void> OnStage(Stage stage) = 0;
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<const KnowledgeBase> kb);

  // Computes the recommendation, calling listener.OnStage for kUnderstand, kCandidates, kSafety
  // and kCompose in that order. A query that matches nothing is not an error: it gives an object
  // with no items and suggestions. Errors: whatever the listener returned.
  core::Result<boost::json::object> Recommend(const RecommendRequest& request,
                                              StageListener& listener) const;

 private:
  std::shared_ptr<const KnowledgeBase> kb_;  // immutable after construction
};

}  // namespace vitarec::recommend

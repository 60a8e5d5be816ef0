// Shared helpers for the engine tests: the real embedded knowledge base (loaded once), a listener
// that records stages, and a one-call way to run the engine.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "recommend/Engine.h"
#include "recommend/KnowledgeBase.h"

namespace vitarec::recommend::support {

// The knowledge base compiled from data/; aborts the test binary if it does not load.
const std::shared_ptr<const KnowledgeBase>& Kb();

class RecordingListener : public StageListener {
 public:
  core::Result<void> OnStage(Stage stage) override {
    stages.push_back(stage);
    return {};
  }
  std::vector<Stage> stages;
};

// Runs the engine over `request`; fails the test (and returns an empty object) on error.
boost::json::object RunRequest(const RecommendRequest& request);
boost::json::object RunQuery(const std::string& query, const std::string& locale = "es");

// The supplement ids of the items, in order.
std::vector<std::string> ItemIds(const boost::json::object& recommendation);
// The item for `id`, or nullptr.
const boost::json::object* FindItem(const boost::json::object& recommendation,
                                    const std::string& id);
// Ids of the excluded supplements.
std::vector<std::string> ExcludedIds(const boost::json::object& recommendation);
// The strings of an array member, e.g. Strings(item, "warnings").
std::vector<std::string> Strings(const boost::json::object& obj, const char* key);
// Whether any string of `list` contains `needle`.
bool AnyContains(const std::vector<std::string>& list, const std::string& needle);

}  // namespace vitarec::recommend::support

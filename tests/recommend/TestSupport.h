// Shared helpers for the engine tests: the real embedded knowledge base (loaded once), a listener
// that records stages, and a one-call way to run the engine.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
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

// Quiz answers with only who the person is (no goals, conditions or medicines).
QuizAnswers Answers(std::optional<int> age, std::string sex = "", bool pregnant = false,
                    bool lactating = false);
// A request for `query` in `locale`, with quiz answers when given.
RecommendRequest MakeRequest(std::string query, std::string locale = "es",
                             std::optional<QuizAnswers> answers = std::nullopt);

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
// Success when the result has an item `id` and one of its warnings contains `text`.
::testing::AssertionResult ItemWarns(const boost::json::object& recommendation,
                                     const std::string& id, const std::string& text);

}  // namespace vitarec::recommend::support

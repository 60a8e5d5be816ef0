// The real knowledge base and engine for the tests of the model step: a result to ground a
// narrative in, and the names index over the same knowledge base.
#pragma once

#include <boost/json.hpp>
#include <memory>

#include "llm/SupplementNames.h"
#include "recommend/Engine.h"

namespace vitarec::llm::testing {

// The knowledge base compiled from data/; aborts the test binary if it does not load.
const std::shared_ptr<const recommend::KnowledgeBase>& Kb();
const SupplementNames& Names();

// The engine's `recommendation` for a request, or for a query in a locale.
boost::json::object Recommend(const recommend::RecommendRequest& request);
boost::json::object Recommend(const std::string& query, const std::string& locale);

}  // namespace vitarec::llm::testing

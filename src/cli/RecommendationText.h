// Renders the `recommendation` object of a completed status as text for people, in the
// recommendation's own language.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace vitarec::cli {

std::string RecommendationText(const boost::json::value& recommendation);

}  // namespace vitarec::cli

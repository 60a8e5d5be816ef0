// Turns the JSON body of POST /portal/recommend into a RecommendRequest, and back into the
// canonical JSON stored with the job. Every rejection is kInvalidArgument with `field` set to the
// offending JSON path ("answers.age") and a message that says what was expected.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/Error.h"
#include "recommend/Request.h"

namespace vitarec::recommend {

struct RequestLimits {
  std::size_t max_query_chars = 500;  // bytes of UTF-8, after trimming
  std::size_t max_label_chars = 64;   // quiz_id, category, sex, diet
  std::size_t max_list_items = 20;    // goals, conditions, medications
  std::size_t max_item_chars = 100;   // each list entry
};

// Validates and normalises (trims text, lowercases the locale to "es"/"en"). Unknown fields are
// ignored so that newer clients keep working. `query` or `answers` must be present.
core::Result<RecommendRequest> ParseRecommendRequest(const boost::json::value& body,
                                                     const RequestLimits& limits = {});

// Parses text first; malformed JSON is kInvalidArgument naming the position.
core::Result<RecommendRequest> ParseRecommendRequestText(std::string_view text,
                                                         const RequestLimits& limits = {});

// Canonical JSON of a request: fixed key order, absent values left out. Round-trips through
// ParseRecommendRequest.
std::string ToCanonicalJson(const RecommendRequest& request);

}  // namespace vitarec::recommend

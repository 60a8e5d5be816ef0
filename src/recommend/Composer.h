// Stage 90, compose: turns the reviewed candidates into the `recommendation` object of the status
// JSON, every text in the request's locale. Output shape (docs/API and DESIGN.md):
//   {query, locale, matched{supplements, forms, goals, conditions, medications, diet,
//    corrections, unknown}, items[{supplement{id,name}, form, dose{amount,unit,frequency,
//    upper_limit?, note?}, timing, evidence{grade,goal,summary}, reasons[], warnings[],
//    interactions[{with,name,action,hours?,note}], sources[{title,url}]}], excluded[{supplement,
//    reason}], warnings[], suggestions[], message?, disclaimer}
// Numbers are integers only.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "recommend/Candidates.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/Request.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

struct ComposeOptions {
  std::size_t max_items = 8;        // items shown; excluded candidates do not count
  std::size_t max_suggestions = 5;  // "¿Quisiste decir…?" entries
};

boost::json::object Compose(const KnowledgeBase& kb, const RecommendRequest& request,
                            const Understanding& u, const std::vector<Candidate>& candidates,
                            const ComposeOptions& options = {});

}  // namespace vitarec::recommend

// Between safety (70) and compose (90): the items of one recommendation add up. A product that
// carries other nutrients (a multivitamin's iron and folic acid, cod liver oil's vitamin A and
// vitamin D; Form::contains) is counted with the single nutrients listed beside it, against the
// person's upper limit of each nutrient:
//  - a single nutrient is lowered so that the sum stays within the limit, and says so; when the
//    product alone already reaches the limit, the single nutrient is left out;
//  - products that together exceed a limit (no single item to lower) are told to be taken one
//    at a time;
//  - a product takes on the pregnancy and lactation rules of the nutrients it carries (cod liver
//    oil's preformed vitamin A in pregnancy).
// Only the items that will be shown count (not excluded, the first `max_items`). A contained
// form with no upper limit of its own (beta-carotene) does not count towards the limit.
#pragma once

#include <cstddef>
#include <vector>

#include "recommend/Candidates.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

void AddUpItems(const KnowledgeBase& kb, const Understanding& u, std::vector<Candidate>& candidates,
                std::size_t max_items = 8);

}  // namespace vitarec::recommend

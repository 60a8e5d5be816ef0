// Words of a free-text query that look like a medicine the knowledge base does not know, so that
// the result can name them back ("No reconocemos «zyloric»…") instead of ignoring them.
//
// A word that matched nothing looks like a medicine when
//  - it ends like an international non-proprietary name (INN stems: -pril, -sartán, -olol,
//    -azepam, -statina, -prazol, -floxacino, -ciclina, -mab, -gliptina, …), or
//  - it follows a word that says "I take" or "medicine" ("tomo", "tomando", "pastillas de",
//    "medicación", "taking", "pills"), past articles and quantity words, and it is not an
//    everyday drink or food ("tomo café" is not a medicine).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "recommend/QueryMatcher.h"
#include "recommend/Request.h"
#include "recommend/Understanding.h"

namespace vitarec::recommend {

// The words of `unknown_words` (folded, as QueryMatcher reports them) that look like medicines in
// `query`, in query order, no repeats.
std::vector<std::string> MedicineLikeWords(std::string_view query,
                                           const std::vector<std::string>& unknown_words);

// Appends to u.unknown_medications (no repeats) the query words that look like medicines
// (MedicineLikeWords over u.unknown_words) and, in a quiz medication answer that names something
// known ("Sintrom y Zyloric"), every other word but doses, numbers and units ("20 mg al día").
// Answers that match nothing at all are already listed whole by Understand.
void AddUnknownMedicines(const QueryMatcher& matcher, const RecommendRequest& request,
                         Understanding& u);

// Whether one folded word ends like an INN.
bool HasMedicineSuffix(std::string_view word);

}  // namespace vitarec::recommend

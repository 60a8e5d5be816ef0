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

namespace vitarec::recommend {

// The words of `unknown_words` (folded, as QueryMatcher reports them) that look like medicines in
// `query`, in query order, no repeats.
std::vector<std::string> MedicineLikeWords(std::string_view query,
                                           const std::vector<std::string>& unknown_words);

// Whether one folded word ends like an INN.
bool HasMedicineSuffix(std::string_view word);

}  // namespace vitarec::recommend

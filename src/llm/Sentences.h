// Where sentences end in a model's text: the places the guardrail may release text up to, and
// the units its check reads one at a time (NarrativeGuard.h, Grounding.h).
//
// A sentence ends after the whitespace that follows '!', '?' or a '.' that does not close a
// short word or a known abbreviation ("p. ej.", "aprox.", "g.": taking one of those for a
// sentence end would release part of a sentence, so they do not count), and after a line break
// unless the line ends in a number or a range connector ("200 a\n400 mg" is one range). An
// end falls on ASCII whitespace, never inside a UTF-8 sequence, and no amount (number, unit,
// range) or supplement name spans one.
#pragma once

#include <string_view>
#include <vector>

namespace vitarec::llm {

// The sentence ends in `text` whose whitespace byte is at `from` or later, in order; each is the
// position just after that whitespace. An end needs the byte before its whitespace, so text
// appended later never adds an end before text.size().
std::vector<std::size_t> SentenceEnds(std::string_view text, std::size_t from = 0);

// The ends above, and also after a '.' taken for an abbreviation when a capital letter (or '¿',
// '¡') follows the whitespace ("200 mg. El hierro..."). Finer, for reading amounts sentence by
// sentence; never for releasing text (the abbreviation may be real: "p. ej. Magnesio").
std::vector<std::size_t> CheckedSentenceEnds(std::string_view text);

}  // namespace vitarec::llm

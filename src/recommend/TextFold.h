// Folding of free text for matching: lower case, accents and punctuation removed, runs of
// whitespace collapsed. "¿Citrato de MAGNESIO?" folds to "citrato de magnesio".
//
// Works on any byte string: valid UTF-8 letters of Latin-1 Supplement and Latin Extended-A lose
// their accents (á→a, ñ→n, ß→ss, œ→oe); every other non-ASCII code point and every invalid byte
// becomes a separator. Output is plain ASCII [a-z0-9 ], never longer than 2x the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vitarec::recommend {

// The folded text: tokens of [a-z0-9] separated by single spaces, no leading or trailing space.
std::string FoldText(std::string_view text);

// The tokens of FoldText(text).
std::vector<std::string> FoldTokens(std::string_view text);

// A token of FoldText(text) and whether any of its letters lost an accent or a tilde ("uñas"
// gives {"unas", true}, "unas" gives {"unas", false}).
struct FoldedToken {
  std::string text;
  bool accented = false;
};
std::vector<FoldedToken> FoldTokensMarked(std::string_view text);

}  // namespace vitarec::recommend

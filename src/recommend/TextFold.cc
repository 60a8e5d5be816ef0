#include "recommend/TextFold.h"

#include <cstdint>

namespace vitarec::recommend {
namespace {

// The ASCII fold of a code point in U+00C0..U+017F, or nullptr when it has none.
const char* FoldLatin(std::uint32_t cp) {
  // U+00C0..U+00FF.
  static constexpr const char* kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  // U+0100..U+017F, one letter per code point; 'J' stands for "ij" and 'O' for "oe".
  static constexpr std::string_view kExtendedA =
      "aaaaaaccccccccdd"
      "ddeeeeeeeeeegggg"
      "gggghhhhiiiiiiii"
      "iiJJjjkkklllllll"
      "lllnnnnnnnnnoooo"
      "ooOOrrrrrrssssss"
      "ssttttttuuuuuuuu"
      "uuuuwwyyyzzzzzzs";
  static_assert(kExtendedA.size() == 0x80);
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    static constexpr const char* kLetters[26] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                                 "j", "k", "l", "m", "n", "o", "p", "q", "r",
                                                 "s", "t", "u", "v", "w", "x", "y", "z"};
    const char c = kExtendedA[cp - 0x100];
    if (c == 'J') return "ij";
    if (c == 'O') return "oe";
    return kLetters[c - 'a'];
  }
  return nullptr;
}

// Decodes one UTF-8 sequence at text[i]; returns its length (0 when invalid) and the code point.
std::size_t DecodeUtf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

}  // namespace

namespace {

// Folds `text` into `out` (see FoldText); when `accented` is given, also records for each token
// whether a letter of it was folded from a non-ASCII one.
void Fold(std::string_view text, std::string& out, std::vector<bool>* accented) {
  out.reserve(text.size());
  bool pending_space = false;
  bool token_open = false;
  const auto append = [&](std::string_view piece, bool from_non_ascii) {
    if (pending_space && !out.empty()) out.push_back(' ');
    if (accented != nullptr) {
      if (!token_open || pending_space) accented->push_back(false);
      if (from_non_ascii) accented->back() = true;
    }
    token_open = true;
    pending_space = false;
    out.append(piece);
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        const char lower = static_cast<char>(c - 'A' + 'a');
        append(std::string_view(&lower, 1), false);
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        append(std::string_view(&text[i], 1), false);
      } else {
        pending_space = true;
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      pending_space = true;
      ++i;
      continue;
    }
    if (const char* folded = FoldLatin(cp); folded != nullptr) {
      append(folded, true);
    } else {
      pending_space = true;
    }
    i += len;
  }
}

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  Fold(text, out, nullptr);
  return out;
}

std::vector<FoldedToken> FoldTokensMarked(std::string_view text) {
  std::string folded;
  std::vector<bool> accented;
  Fold(text, folded, &accented);
  std::vector<FoldedToken> tokens;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const bool mark = tokens.size() < accented.size() && accented[tokens.size()];
    tokens.push_back({folded.substr(start, end - start), mark});
    start = end + 1;
  }
  return tokens;
}

std::vector<std::string> FoldTokens(std::string_view text) {
  const std::string folded = FoldText(text);
  std::vector<std::string> tokens;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    tokens.emplace_back(folded, start, end - start);
    start = end + 1;
  }
  return tokens;
}

}  // namespace vitarec::recommend

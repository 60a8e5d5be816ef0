#include "llm/Sentences.h"

#include <algorithm>
#include <string>

namespace vitarec::llm {
namespace {

bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }

// Whether the line that ends at `end` (exclusive, before its '\n') ends in a number or a range
// connector, which the next line may give a unit to.
bool LineEndsOpen(std::string_view text, std::size_t end) {
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
  if (end == 0) return false;
  if (Digit(text[end - 1]) || text[end - 1] == '-') return true;
  std::size_t begin = end;
  while (begin > 0 && !Space(text[begin - 1])) --begin;
  std::string word;
  for (char c : text.substr(begin, end - begin))
    word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::string_view c :
       {"a", "al", "hasta", "to", "y", "e", "and", "o", "u", "or", "\xE2\x80\x93", "\xE2\x80\x94"})
    if (word == c) return true;
  return false;
}

// Whether the '.' at `dot` may end an abbreviation rather than a sentence ("p. ej.", "aprox.",
// "Dr.", a unit such as "g."): a word of at most two letters, or one of a few known ones. Taking
// a sentence end for an abbreviation only delays the release, so the test errs that way.
bool Abbreviation(std::string_view text, std::size_t dot) {
  std::size_t begin = dot;
  while (begin > 0 && ((text[begin - 1] >= 'a' && text[begin - 1] <= 'z') ||
                       (text[begin - 1] >= 'A' && text[begin - 1] <= 'Z')))
    --begin;
  // "200." ends a sentence; so does a word with non-ASCII letters ("día."): no abbreviation has
  // one.
  if (begin == dot || (begin > 0 && static_cast<unsigned char>(text[begin - 1]) >= 0x80))
    return false;
  std::string word;
  for (char c : text.substr(begin, dot - begin))
    word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (word.size() <= 2) return true;
  for (std::string_view a : {"aprox", "approx", "etc", "dra", "sra", "mcg", "vit", "min"})
    if (word == a) return true;
  return false;
}

}  // namespace

std::vector<std::size_t> SentenceEnds(std::string_view text, std::size_t from) {
  std::vector<std::size_t> ends;
  for (std::size_t i = std::max<std::size_t>(from, 1); i < text.size(); ++i) {
    if (!Space(text[i])) continue;
    const char mark = text[i - 1];
    if ((mark == '.' && !Abbreviation(text, i - 1)) || mark == '!' || mark == '?' ||
        (text[i] == '\n' && !LineEndsOpen(text, i))) {
      ends.push_back(i + 1);
    }
  }
  return ends;
}

std::vector<std::size_t> CheckedSentenceEnds(std::string_view text) {
  std::vector<std::size_t> ends = SentenceEnds(text);
  auto capital = [&](std::size_t i) {
    if (i >= text.size()) return false;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') return true;
    if (i + 1 >= text.size()) return false;
    const auto d = static_cast<unsigned char>(text[i + 1]);
    return (c == 0xC3 && d >= 0x80 && d <= 0x9E) || (c == 0xC2 && (d == 0xBF || d == 0xA1));
  };
  for (std::size_t i = 1; i < text.size(); ++i) {
    if ((text[i] == ' ' || text[i] == '\n') && text[i - 1] == '.' && capital(i + 1))
      ends.push_back(i + 1);
  }
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  return ends;
}

}  // namespace vitarec::llm

// Bounded edit distance for typo tolerance.
#pragma once

#include <cstdint>
#include <string_view>

namespace vitarec::recommend {

// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
// substitutions and swaps of two adjacent characters each cost 1), or max_distance + 1 as soon
// as it is known to exceed max_distance. Cost O(|a| * |b|) at worst, usually far less thanks to
// the bound; strings longer than 63 bytes are compared on their first 63 bytes.
int BoundedEditDistance(std::string_view a, std::string_view b, int max_distance);

// The set of characters of `s` as bits (a-z, 0-9; others share one bit). For any strings a, b:
// max(popcount(A & ~B), popcount(B & ~A)) <= BoundedEditDistance(a, b, ...), so comparing masks
// rules most candidates out before the full computation.
std::uint64_t CharMask(std::string_view s);

// Whether the masks alone prove that the distance exceeds max_distance.
bool MasksRuleOut(std::uint64_t a, std::uint64_t b, int max_distance);

}  // namespace vitarec::recommend

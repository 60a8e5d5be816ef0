// Bounded edit distance for typo tolerance.
#pragma once

#include <string_view>

namespace vitarec::recommend {

// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
// substitutions and swaps of two adjacent characters each cost 1), or max_distance + 1 as soon
// as it is known to exceed max_distance. Cost O(|a| * |b|) at worst, usually far less thanks to
// the bound; strings longer than 63 bytes are compared on their first 63 bytes.
int BoundedEditDistance(std::string_view a, std::string_view b, int max_distance);

}  // namespace vitarec::recommend

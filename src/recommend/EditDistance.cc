#include "recommend/EditDistance.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>

namespace vitarec::recommend {

int BoundedEditDistance(std::string_view a, std::string_view b, int max_distance) {
  constexpr std::size_t kMaxLen = 63;
  a = a.substr(0, kMaxLen);
  b = b.substr(0, kMaxLen);
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  // Three rolling rows of the dynamic-programming table: two back (for swaps), previous, current.
  std::array<int, kMaxLen + 1> rows[3];
  int* row2 = rows[0].data();
  int* row1 = rows[1].data();
  int* row0 = rows[2].data();
  for (int j = 0; j <= m; ++j) row1[j] = j;
  for (int i = 1; i <= n; ++i) {
    row0[0] = i;
    int row_min = row0[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({row1[j] + 1, row0[j - 1] + 1, row1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, row2[j - 2] + 1);
      row0[j] = best;
      row_min = std::min(row_min, best);
    }
    if (row_min > max_distance) return max_distance + 1;
    int* oldest = row2;
    row2 = row1;
    row1 = row0;
    row0 = oldest;
  }
  return std::min(row1[m], max_distance + 1);
}

std::uint64_t CharMask(std::string_view s) {
  std::uint64_t mask = 0;
  for (char c : s) {
    unsigned bit = 63;
    if (c >= 'a' && c <= 'z') bit = static_cast<unsigned>(c - 'a');
    if (c >= '0' && c <= '9') bit = 26 + static_cast<unsigned>(c - '0');
    mask |= std::uint64_t{1} << bit;
  }
  return mask;
}

bool MasksRuleOut(std::uint64_t a, std::uint64_t b, int max_distance) {
  return std::popcount(a & ~b) > max_distance || std::popcount(b & ~a) > max_distance;
}

}  // namespace vitarec::recommend

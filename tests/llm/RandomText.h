// Random inputs for the robustness tests: texts glued from pieces that matter to the code under
// test (digits, separators, units, SSE field names...), reproducible from the seed.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace vitarec::llm::testing {

// 1..max_pieces pieces drawn from `pieces`.
inline std::string RandomText(std::mt19937& random, const std::vector<std::string>& pieces,
                              int max_pieces) {
  std::string text;
  const int n = 1 + static_cast<int>(random() % static_cast<unsigned>(max_pieces));
  for (int i = 0; i < n; ++i) text += pieces[random() % pieces.size()];
  return text;
}

}  // namespace vitarec::llm::testing

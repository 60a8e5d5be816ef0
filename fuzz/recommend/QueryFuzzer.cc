// libFuzzer target for the query side of the engine: arbitrary bytes as a POST body (through
// ParseRecommendRequestText) and as a raw query (folding, matching, typo correction,
// suggestions, composing). Checks the engine's promises on any input: it never crashes, always
// completes with the documented keys, and never emits a floating-point number.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "recommend/Engine.h"
#include "recommend/KnowledgeBaseLoader.h"
#include "recommend/RequestParser.h"
#include "recommend/TextFold.h"

namespace {

using vitarec::recommend::Engine;
using vitarec::recommend::KnowledgeBase;
using vitarec::recommend::RecommendRequest;
using vitarec::recommend::Stage;
using vitarec::recommend::StageListener;

class NullListener : public StageListener {
 public:
  vitarec::core::Result<void> OnStage(Stage) override { return {}; }
};

const Engine& TheEngine() {
  static const Engine engine = [] {
    auto kb = vitarec::recommend::LoadEmbeddedKnowledgeBase();
    if (!kb) std::abort();
    return Engine(*kb);
  }();
  return engine;
}

bool HasDouble(const boost::json::value& v) {
  if (v.is_double()) return true;
  if (v.is_array())
    for (const auto& x : v.as_array())
      if (HasDouble(x)) return true;
  if (v.is_object())
    for (const auto& kv : v.as_object())
      if (HasDouble(kv.value())) return true;
  return false;
}

void Check(const RecommendRequest& request) {
  NullListener listener;
  auto out = TheEngine().Recommend(request, listener);
  if (!out) std::abort();  // only a listener error may fail a recommendation
  for (const char* key :
       {"query", "matched", "locale", "items", "warnings", "suggestions", "disclaimer"})
    if (!out->contains(key)) std::abort();
  if (HasDouble(*out)) std::abort();
  (void)boost::json::serialize(*out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The folded form is ASCII [a-z0-9 ] without leading, trailing or double spaces.
  const std::string folded = vitarec::recommend::FoldText(text);
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    (c == ' ' && i > 0 && i + 1 < folded.size() && folded[i - 1] != ' ');
    if (!ok) std::abort();
  }

  // As a whole POST body.
  if (auto request = vitarec::recommend::ParseRecommendRequestText(text)) Check(*request);

  // As a raw query, in both locales (bounded like the parser bounds it).
  RecommendRequest raw;
  raw.query = std::string(text.substr(0, 500));
  raw.locale = size % 2 == 0 ? "es" : "en";
  Check(raw);
  return 0;
}

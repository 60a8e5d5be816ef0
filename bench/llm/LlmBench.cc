// Benchmarks of the model step's pure parts (figures: docs/BENCHMARKS.md, "Model step, pure
// parts"): the CPU a job spends on them, apart from the network.
//
//  BM_Prompt             FactsOf + BuildNarrativePrompt for one engine result.
//  BM_StreamedNarrative/<n>  one narrative of n sentences, one word per content chunk (8
//                        sentences: ~100 chunks, as the issue's benchmark streams), through
//                        NarrativeAttempt: SSE parsing, the guardrail checking each sentence as
//                        it ends (linear in n), the deadlines.
#include <benchmark/benchmark.h>

#include "llm/NarrativeAttempt.h"
#include "llm/NarrativePrompt.h"
#include "recommend/Engine.h"
#include "recommend/KnowledgeBaseLoader.h"

namespace vitarec::llm {
namespace {

class NullListener : public recommend::StageListener {
 public:
  core::Result<void> OnStage(recommend::Stage) override { return {}; }
};

struct Fixture {
  std::shared_ptr<const recommend::KnowledgeBase> kb = *recommend::LoadEmbeddedKnowledgeBase();
  SupplementNames names{*kb};
  boost::json::object result;
  PromptTemplate prompt = *PromptTemplate::Embedded("es");

  Fixture() {
    recommend::RecommendRequest request;
    request.query = "magnesio para dormir";
    NullListener listener;
    result = *recommend::Engine(kb).Recommend(request, listener);
  }
};

// The SSE body of a narrative of `sentences` sentences, one word per content chunk (as models
// stream), and the number of chunks.
std::pair<std::string, std::size_t> Body(int sentences) {
  const std::string kSentences[] = {
      "El magnesio es un mineral que participa en muchas funciones del cuerpo. ",
      "La recomendación es de 200 mg una vez al día, con la cena o antes de dormir. ",
      "No conviene superar los 350 mg al día de suplementos. ",
      "Consulta a tu médico o farmacéutico antes de empezar, sobre todo si tomas medicamentos. "};
  std::string text;
  for (int i = 0; i < sentences; ++i) text += kSentences[i % 4];
  std::string body;
  std::size_t chunks = 0;
  for (std::size_t i = 0; i < text.size(); ++chunks) {
    std::size_t end = text.find(' ', i);
    end = end == std::string::npos ? text.size() : end + 1;
    body += R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",)"
            R"("choices":[{"index":0,"delta":{"content":")" +
            text.substr(i, end - i) + R"("},"logprobs":null,"finish_reason":null}]})" + "\n\n";
    i = end;
  }
  body += R"(data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
          "\n\ndata: [DONE]\n\n";
  return {body, chunks};
}

Fixture& F() {
  static Fixture f;
  return f;
}

void BM_Prompt(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) {
    const GroundingFacts facts = FactsOf(f.result, f.names);
    benchmark::DoNotOptimize(BuildNarrativePrompt(f.prompt, f.result, facts, f.names));
  }
}
BENCHMARK(BM_Prompt);

void BM_StreamedNarrative(benchmark::State& state) {
  Fixture& f = F();
  const GroundingFacts facts = FactsOf(f.result, f.names);
  const auto [body, chunks] = Body(static_cast<int>(state.range(0)));
  core::FakeClock clock;
  std::size_t shown = 0;
  for (auto _ : state) {
    NarrativeAttempt attempt(facts, f.names, AttemptOptions{}, clock.Now());
    attempt.Connected(clock.Now());
    // Fed in pieces of about one event, as a socket delivers them.
    for (std::size_t i = 0; i < body.size(); i += 160)
      shown += attempt.Body(std::string_view(body).substr(i, 160), clock.Now()).size();
    shown += attempt.EndOfBody(clock.Now()).size();
    if (attempt.state() != NarrativeAttempt::State::kComplete) {
      state.SkipWithError((std::string("not complete: ") + std::string(attempt.Reason()) + " " +
                           (attempt.inconsistency() ? attempt.inconsistency()->detail : ""))
                              .c_str());
      break;
    }
  }
  benchmark::DoNotOptimize(shown);
  state.counters["chunks"] = static_cast<double>(chunks);
  state.counters["bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_StreamedNarrative)->Arg(8)->Arg(32);

}  // namespace
}  // namespace vitarec::llm

BENCHMARK_MAIN();

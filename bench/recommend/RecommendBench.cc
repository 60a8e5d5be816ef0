// Benchmarks of the recommendation engine (method and figures: docs/BENCHMARKS.md,
// "Recommendation engine").
//
//  BM_LoadEmbedded       parse and validate every file of data/ and build the query index.
//  BM_Recommend/<i>      one recommendation for query i of kMixedQueries.
//  BM_RecommendMixed     the whole mixed set per iteration; reports the mean per recommendation
//                        and, as counters, the p50/p99/max of single recommendations measured
//                        inside the run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "recommend/Engine.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/KnowledgeBaseLoader.h"

namespace vitarec::recommend {
namespace {

class NullListener : public StageListener {
 public:
  core::Result<void> OnStage(Stage) override { return {}; }
};

RecommendRequest Query(std::string query, std::string locale = "es") {
  RecommendRequest r;
  r.query = std::move(query);
  r.locale = std::move(locale);
  return r;
}

RecommendRequest Quiz(std::string query, QuizAnswers answers, std::string locale = "es") {
  RecommendRequest r = Query(std::move(query), std::move(locale));
  r.answers = std::move(answers);
  return r;
}

QuizAnswers Answers(int age, std::string sex, std::vector<std::string> goals,
                    std::vector<std::string> conditions, std::vector<std::string> medications,
                    std::string diet = "", bool pregnant = false) {
  QuizAnswers a;
  a.age = age;
  a.sex = std::move(sex);
  a.goals = std::move(goals);
  a.conditions = std::move(conditions);
  a.medications = std::move(medications);
  a.diet = std::move(diet);
  a.pregnant = pregnant;
  return a;
}

// What the portal sees: names, typos, goal phrases, both languages, quizzes, nonsense.
const std::vector<RecommendRequest>& MixedQueries() {
  static const std::vector<RecommendRequest> kQueries = {
      Query("magnesio"),
      Query("magnecio"),
      Query("Vitamin D", "en"),
      Query("citrato de magnesio para dormir"),
      Query("dormir mejor"),
      Query("trouble sleeping", "en"),
      Query("cansancio y falta de energía"),
      Query("huesos fuertes"),
      Query("ansiedad"),
      Query("omega-3 con warfarina"),
      Query("¿Qué puedo tomar para la migraña?"),
      Query("ashwagandah"),
      Query("xqzwv blorf"),
      Query("<script>alert(1)</script>"),
      Quiz("", Answers(34, "female", {"sleep"}, {}, {"levothyroxine"}, "vegan")),
      Quiz("hierro", Answers(30, "female", {}, {}, {}, "", true)),
      Quiz("",
           Answers(67, "male", {"heart_health", "cholesterol"}, {"diabetes"},
                   {"metformina", "atorvastatina", "aspirina"}),
           "en"),
      Quiz("hipérico", Answers(45, "female", {"mood"}, {}, {"sertralina", "anticonceptivos"})),
      Quiz("melatonina", Answers(9, "male", {}, {}, {})),
      Quiz("", Answers(52, "female", {"menopause", "bone_health", "sleep"}, {"hipertensión"},
                       {"enalapril", "omeprazol"}, "vegetarian")),
      // Broad classes (expanded through the class hierarchy) and an unknown medicine.
      Quiz("potasio y hipérico, tomo zyloric",
           Answers(60, "male", {"blood_pressure"}, {},
                   {"pastillas para la tensión", "antidepresivos"})),
  };
  return kQueries;
}

const std::shared_ptr<const KnowledgeBase>& Kb() {
  static const auto kb = *LoadEmbeddedKnowledgeBase();
  return kb;
}

void BM_LoadEmbedded(benchmark::State& state) {
  for (auto _ : state) {
    auto kb = LoadEmbeddedKnowledgeBase();
    if (!kb) state.SkipWithError(kb.error().message.c_str());
    benchmark::DoNotOptimize(kb);
  }
  state.SetLabel(std::to_string(Kb()->SupplementCount()) + " supplements");
}
BENCHMARK(BM_LoadEmbedded)->Unit(benchmark::kMillisecond);

void BM_Recommend(benchmark::State& state) {
  const Engine engine(Kb());
  NullListener listener;
  const RecommendRequest& request = MixedQueries()[static_cast<std::size_t>(state.range(0))];
  for (auto _ : state) {
    auto out = engine.Recommend(request, listener);
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(request.query.empty() ? "(quiz)" : request.query);
}
BENCHMARK(BM_Recommend)
    ->DenseRange(0, static_cast<int>(MixedQueries().size()) - 1)
    ->Unit(benchmark::kMicrosecond);

void BM_RecommendMixed(benchmark::State& state) {
  const Engine engine(Kb());
  NullListener listener;
  const auto& queries = MixedQueries();
  std::vector<double> samples_us;
  for (auto _ : state) {
    for (const RecommendRequest& request : queries) {
      const auto start = std::chrono::steady_clock::now();
      auto out = engine.Recommend(request, listener);
      benchmark::DoNotOptimize(out);
      const auto end = std::chrono::steady_clock::now();
      samples_us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
  }
  std::sort(samples_us.begin(), samples_us.end());
  const auto at = [&](double q) {
    return samples_us[std::min(
        samples_us.size() - 1,
        static_cast<std::size_t>(q * static_cast<double>(samples_us.size())))];
  };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = samples_us.back();
  state.SetItemsProcessed(static_cast<std::int64_t>(samples_us.size()));
}
BENCHMARK(BM_RecommendMixed)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vitarec::recommend

BENCHMARK_MAIN();

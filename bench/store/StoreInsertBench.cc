// Durable insert throughput of the SQLite store: `in_flight` inserts outstanding at any time,
// as when that many submit requests wait for their 202, so the writer commits them in groups.
// Compares synchronous=FULL (power-loss safe) with NORMAL (crash safe). Run:
//   store_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <semaphore>
#include <string>

#include "core/Id.h"
#include "store/OpenStore.h"

namespace vitarec::store {
namespace {

constexpr std::ptrdiff_t kMaxInFlight = 1024;

std::filesystem::path MakeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "vitarec-store-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

// Random ids are what the service uses; sequential ones show what the random primary-key index
// costs (every insert lands on another B-tree page).
NewJob MakeJob(std::int64_t n, bool random_id) {
  NewJob job;
  if (random_id) {
    job.id = core::NewId();
  } else {
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012lld", static_cast<long long>(n));
    job.id = id;
  }
  job.quiz_id = "sueno-v1";
  job.category = "minerales";
  job.locale = "es";
  job.request_json =
      R"({"query":"magnesio","answers":{"age":34,"sex":"female","goals":["sleep"]}})";
  job.progress_message = "En cola";
  job.created_at = core::FromUnixMillis(1'800'000'000'000 + n);
  return job;
}

void BM_Insert(benchmark::State& state, const char* synchronous, bool random_ids) {
  const auto in_flight = static_cast<std::ptrdiff_t>(state.range(0));
  const std::filesystem::path dir = MakeTempDir();
  StoreOptions options;
  options.sqlite_synchronous = synchronous;
  auto opened = OpenStore("sqlite:" + (dir / "bench.db").string(), options);
  if (!opened) {
    state.SkipWithError(opened.error().message.c_str());
    return;
  }
  std::unique_ptr<Store> store = std::move(*opened);
  std::counting_semaphore<kMaxInFlight> slots(in_flight);
  std::atomic<std::int64_t> failures{0};
  std::int64_t n = 0;

  for (auto _ : state) {
    slots.acquire();
    store->Insert(MakeJob(n++, random_ids), [&](core::Result<InsertOutcome> r) {
      if (!r) ++failures;
      slots.release();
    });
  }
  for (std::ptrdiff_t i = 0; i < in_flight; ++i) slots.acquire();  // every insert acknowledged

  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures.load());
  store.reset();
  std::filesystem::remove_all(dir);
}

BENCHMARK_CAPTURE(BM_Insert, full, "full", true)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Arg(256)
    ->Arg(1024)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Insert, normal, "normal", true)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Arg(256)
    ->Arg(1024)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Insert, normal_sequential_ids, "normal", false)
    ->Arg(256)
    ->Arg(1024)
    ->UseRealTime();

}  // namespace
}  // namespace vitarec::store

BENCHMARK_MAIN();

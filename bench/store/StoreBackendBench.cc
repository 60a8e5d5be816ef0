// SQLite beside PostgreSQL, same Store interface, same machine: durable insert throughput with
// `in_flight` inserts outstanding (as submit requests waiting for their 202), and claim
// throughput with `max_jobs` taken per claim. SQLite runs with synchronous=FULL; PostgreSQL is a
// throwaway local server with fsync and synchronous_commit on (VITAREC_BENCH_POSTGRES_URL picks
// another server). Run:
//   store_backend_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <semaphore>
#include <string>

#include "core/Id.h"
#include "store/Blocking.h"
#include "store/OpenStore.h"
#include "tests/support/PostgresServer.h"

namespace vitarec::store {
namespace {

constexpr std::ptrdiff_t kMaxInFlight = 1024;
constexpr int kClaimStock = 4096;  // jobs inserted (untimed) whenever the claimable ones run out

// A fresh store of `backend` ("sqlite" or "postgres"), removed at the end.
class BenchStore {
 public:
  explicit BenchStore(const std::string& backend) {
    std::random_device random;
    const std::string name = "bench_" + std::to_string(random()) + std::to_string(random());
    std::string url;
    if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      url = "sqlite:" + (dir_ / "bench.db").string();
    } else {
      server_url_ = ServerUrl();
      schema_ = name;
      AdminSql("CREATE SCHEMA " + schema_);
      url = server_url_ + "?options=-csearch_path%3D" + schema_;
    }
    auto opened = OpenStore(url, StoreOptions{});
    if (opened) store_ = std::move(*opened);
    if (!opened) error_ = opened.error().message;
  }
  ~BenchStore() {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) AdminSql("DROP SCHEMA " + schema_ + " CASCADE");
  }
  Store* get() { return store_.get(); }
  const std::string& error() const { return error_; }

 private:
  static std::string ServerUrl() {
    if (const char* url = std::getenv("VITAREC_BENCH_POSTGRES_URL")) return url;
    static const auto server = testing::PostgresServer::Start(false, /*durable=*/true);
    return server->Url();
  }
  void AdminSql(const std::string& sql) {
    PGconn* conn = PQconnectdb(server_url_.c_str());
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PQclear(PQexec(conn, sql.c_str()));
    PQfinish(conn);
  }

  std::filesystem::path dir_;
  std::string server_url_;
  std::string schema_;
  std::unique_ptr<Store> store_;
  std::string error_;
};

NewJob MakeJob(std::int64_t n) {
  NewJob job;
  job.id = core::NewId();
  job.quiz_id = "sueno-v1";
  job.category = "minerales";
  job.locale = "es";
  job.request_json =
      R"({"query":"magnesio","answers":{"age":34,"sex":"female","goals":["sleep"]}})";
  job.progress_message = "En cola";
  job.created_at = core::FromUnixMillis(1'800'000'000'000 + n);
  return job;
}

// Inserts `count` jobs with up to 256 in flight; the number that failed.
std::int64_t InsertMany(Store& store, std::int64_t first, int count) {
  std::counting_semaphore<kMaxInFlight> slots(256);
  std::atomic<std::int64_t> failures{0};
  for (int i = 0; i < count; ++i) {
    slots.acquire();
    store.Insert(MakeJob(first + i), [&](core::Result<InsertOutcome> r) {
      if (!r) ++failures;
      slots.release();
    });
  }
  for (int i = 0; i < 256; ++i) slots.acquire();
  return failures.load();
}

void BM_Insert(benchmark::State& state, const std::string& backend) {
  BenchStore bench(backend);
  if (bench.get() == nullptr) return state.SkipWithError(bench.error().c_str());
  const auto in_flight = static_cast<std::ptrdiff_t>(state.range(0));
  std::counting_semaphore<kMaxInFlight> slots(in_flight);
  std::atomic<std::int64_t> failures{0};
  std::int64_t n = 0;
  for (auto _ : state) {
    slots.acquire();
    bench.get()->Insert(MakeJob(n++), [&](core::Result<InsertOutcome> r) {
      if (!r) ++failures;
      slots.release();
    });
  }
  for (std::ptrdiff_t i = 0; i < in_flight; ++i) slots.acquire();
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures.load());
}

// One claimer taking `max_jobs` per call, each call waited for (as a worker does); items are jobs.
void BM_Claim(benchmark::State& state, const std::string& backend) {
  BenchStore bench(backend);
  if (bench.get() == nullptr) return state.SkipWithError(bench.error().c_str());
  const int max_jobs = static_cast<int>(state.range(0));
  std::int64_t inserted = 0;
  std::int64_t claimed = 0;
  std::int64_t failures = 0;
  const core::TimePoint now = core::FromUnixMillis(1'900'000'000'000);
  for (auto _ : state) {
    auto jobs = Wait<std::vector<Job>>([&](auto done) {
      bench.get()->Claim(ClaimOptions{"bench", max_jobs, now, core::Millis(3'600'000)},
                         std::move(done));
    });
    if (!jobs) {
      ++failures;
      continue;
    }
    claimed += static_cast<std::int64_t>(jobs->size());
    if (static_cast<int>(jobs->size()) < max_jobs) {
      state.PauseTiming();
      failures += InsertMany(*bench.get(), inserted, kClaimStock);
      inserted += kClaimStock;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(claimed);
  state.counters["failures"] = static_cast<double>(failures);
}

BENCHMARK_CAPTURE(BM_Insert, sqlite, std::string("sqlite"))
    ->Arg(1)
    ->Arg(64)
    ->Arg(256)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Insert, postgres, std::string("postgres"))
    ->Arg(1)
    ->Arg(64)
    ->Arg(256)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Claim, sqlite, std::string("sqlite"))->Arg(1)->Arg(8)->Arg(32)->UseRealTime();
BENCHMARK_CAPTURE(BM_Claim, postgres, std::string("postgres"))
    ->Arg(1)
    ->Arg(8)
    ->Arg(32)
    ->UseRealTime();

}  // namespace
}  // namespace vitarec::store

BENCHMARK_MAIN();

// The DynamoDB store against a local dynalite (or VITAREC_BENCH_DYNAMODB_ENDPOINT): what one
// recommendation costs in requests and capacity units, throughput, and the added latency of a
// change reaching another node. Run:
//   dynamodb_bench [jobs=1000] [threads=16] [claim_batch=8]
// Phases, each on a fresh table:
//  1. submit: `threads` threads insert `jobs` jobs (the 202 path);
//  2. work: `threads` threads claim up to `claim_batch` jobs at a time and run each as a worker
//     does — progress 10, 30, 70, 90, then completed with a result of 4.2 KB (the largest of three
//     real ones measured, 1.7–4.2 KB) — plus one status read per job, until none is left;
//  3. another node: a second store's listener times each of 100 inserts made on the first.
// Units are DynamoDB's ConsumedCapacity as reported (dynalite: the table's share only, no index
// writes; docs/BENCHMARKS.md adds those).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/Id.h"
#include "store/Blocking.h"
#include "store/dynamodb/DynamoStore.h"
#include "tests/support/DynaliteServer.h"

namespace vitarec::store {
namespace {

using core::Millis;
using SteadyClock = std::chrono::steady_clock;

const std::string kRequest =
    R"({"query":"magnesio para dormir","quiz_id":"sueno-v1","category":"minerales","locale":"es",)"
    R"("answers":{"age":34,"sex":"female","pregnant":false,"goals":["sleep"],"conditions":[],)"
    R"("medications":["levothyroxine"],"diet":"vegan"}})";

std::string ResultOfSize(std::size_t size) {
  std::string text = R"({"items":[{"supplement":"magnesium","notes":")";
  text.append(size > text.size() + 4 ? size - text.size() - 4 : 0, 'x');
  return text + "\"}]}";
}

struct Endpoint {
  std::unique_ptr<testing::DynaliteServer> local;
  std::string url;
};

dynamodb::DynamoStoreOptions Options(const std::string& endpoint, const std::string& table,
                                     int workers) {
  dynamodb::DynamoStoreOptions options;
  options.table = table;
  options.region = "us-east-1";
  options.endpoint = endpoint;
  options.credentials = net::AwsCredentials{"AKIDVITARECBENCH", "bench-secret", ""};
  options.create_table = true;
  options.workers = workers;
  return options;
}

std::unique_ptr<dynamodb::DynamoStore> OpenStore(const dynamodb::DynamoStoreOptions& options) {
  auto store = dynamodb::DynamoStore::Open(options);
  if (!store) {
    std::fprintf(stderr, "cannot open: %s\n", store.error().message.c_str());
    std::exit(1);
  }
  return std::move(*store);
}

NewJob MakeJob(int i) {
  NewJob job;
  job.id = core::NewId();
  job.quiz_id = "sueno-v1";
  job.category = "minerales";
  job.locale = "es";
  job.request_json = kRequest;
  job.progress_message = "En cola";
  job.created_at = core::FromUnixMillis(1'800'000'000'000 + i);
  return job;
}

template <typename Body>
double Timed(Body body) {
  const auto start = SteadyClock::now();
  body();
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

void Report(const char* phase, int jobs, double seconds, const dynamodb::DynamoUsage& before,
            const dynamodb::DynamoUsage& after) {
  std::printf(
      "%-8s %6d jobs %7.2f s %8.0f jobs/s  requests/job %5.2f  read units/job %5.2f  "
      "write units/job %5.2f  retries %lld\n",
      phase, jobs, seconds, jobs / seconds,
      static_cast<double>(after.requests - before.requests) / jobs,
      (after.read_units - before.read_units) / jobs,
      (after.write_units - before.write_units) / jobs,
      static_cast<long long>(after.retries - before.retries));
}

int Run(int jobs, int threads, int claim_batch) {
  Endpoint endpoint;
  if (const char* url = std::getenv("VITAREC_BENCH_DYNAMODB_ENDPOINT")) {
    endpoint.url = url;
  } else {
    endpoint.local = testing::DynaliteServer::Start();
    endpoint.url = endpoint.local->Endpoint();
  }
  const std::string result = ResultOfSize(4200);
  const auto options =
      Options(endpoint.url, testing::DynaliteServer::UniqueTableName("bench"), threads);
  auto store = OpenStore(options);

  // 1. submit
  auto before = store->client_usage();
  std::atomic<int> next{0};
  const double submit_s = Timed([&] {
    std::vector<std::thread> callers;
    for (int t = 0; t < threads; ++t) {
      callers.emplace_back([&] {
        for (int i; (i = next++) < jobs;) {
          auto inserted =
              Wait<InsertOutcome>([&](auto done) { store->Insert(MakeJob(i), std::move(done)); });
          if (!inserted) std::fprintf(stderr, "insert: %s\n", inserted.error().message.c_str());
        }
      });
    }
    for (auto& c : callers) c.join();
  });
  auto after = store->client_usage();
  Report("submit", jobs, submit_s, before, after);

  // 2. work
  before = after;
  std::atomic<int> done_jobs{0};
  const double work_s = Timed([&] {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const std::string owner = "bench-" + std::to_string(t);
        for (;;) {
          const core::TimePoint now = core::FromUnixMillis(1'800'000'100'000);
          auto claimed = Wait<std::vector<Job>>([&](auto done) {
            store->Claim(ClaimOptions{owner, claim_batch, now, Millis(15'000)}, std::move(done));
          });
          if (!claimed || claimed->empty()) return;
          for (const Job& job : *claimed) {
            const Lease lease{job.id, job.lease_owner, job.fence};
            for (int p : {10, 30, 70, 90}) {
              (void)Wait<void>([&](auto done) {
                store->UpdateProgress(lease, p, "Evaluando", now, std::move(done));
              });
            }
            Finish finish;
            finish.result_json = result;
            finish.progress_message = "Listo";
            finish.expires_at = now + Millis(30LL * 86'400'000);
            (void)Wait<void>(
                [&](auto done) { store->FinishJob(lease, finish, now, std::move(done)); });
            (void)Wait<Job>([&](auto done) { store->Get(job.id, std::move(done)); });
            ++done_jobs;
          }
        }
      });
    }
    for (auto& w : workers) w.join();
  });
  after = store->client_usage();
  Report("work", done_jobs.load(), work_s, before, after);

  // 3. another node
  auto other = OpenStore(options);
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, SteadyClock::time_point> seen;
  other->SetChangeListener([&](const JobChange& change) {
    if (change.version != 1) return;
    std::lock_guard lock(mu);
    seen.emplace(change.id, SteadyClock::now());
    cv.notify_all();
  });
  std::vector<double> latencies_ms;
  std::mt19937 random{42};
  for (int i = 0; i < 100; ++i) {
    NewJob job = MakeJob(jobs + i);
    const std::string id = job.id;
    const auto start = SteadyClock::now();
    (void)Wait<InsertOutcome>([&](auto done) { store->Insert(std::move(job), std::move(done)); });
    std::unique_lock lock(mu);
    if (cv.wait_for(lock, std::chrono::seconds(5), [&] { return seen.contains(id); })) {
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(seen[id] - start).count());
    }
    lock.unlock();
    // A random pause, so that the inserts fall anywhere in the poll period.
    std::this_thread::sleep_for(Millis(std::uniform_int_distribution<int>(0, 300)(random)));
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  if (!latencies_ms.empty()) {
    auto at = [&](double q) {
      return latencies_ms[static_cast<std::size_t>(q * (latencies_ms.size() - 1))];
    };
    std::printf(
        "another node sees an insert: %zu/100, p50 %.0f ms, p90 %.0f ms, max %.0f ms "
        "(poll every %lld ms)\n",
        latencies_ms.size(), at(0.5), at(0.9), latencies_ms.back(),
        static_cast<long long>(options.change_poll.count()));
  }
  return 0;
}

}  // namespace
}  // namespace vitarec::store

int main(int argc, char** argv) {
  const int jobs = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 16;
  const int claim_batch = argc > 3 ? std::atoi(argv[3]) : 8;
  return vitarec::store::Run(jobs, threads, claim_batch);
}

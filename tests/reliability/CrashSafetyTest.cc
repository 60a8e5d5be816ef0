// Crash safety of the real binary: clients submit jobs while the server is SIGKILLed at random
// moments and restarted on the same SQLite file, again and again. At the end every id that got a
// 202 must be completed, exactly once (its final status never changes once seen, and no two runs
// both logged a completion), progress and version never went backwards in any observation, and
// every job ran at least once.
//
// Environment (defaults keep it under a minute for CI):
//   VITAREC_CRASH_KILLS    kills (4)          VITAREC_CRASH_CLIENTS  submitting threads (3)
//   VITAREC_CRASH_SEED     random seed (time) VITAREC_CRASH_MAX_UP_MS longest uptime before a kill
//   (1500)
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "cli/HttpClient.h"
#include "support/Env.h"
#include "support/ServerProcess.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// What the observers saw of one id, across every server process.
struct Seen {
  int max_progress = 0;
  long max_version = 0;
  std::string final_body;  // the whole status body the first time it was final
  long final_version = 0;
};

// Everything shared by the client, observer and main threads; guarded by mu.
struct Ledger {
  std::mutex mu;
  std::vector<std::string> acked;  // every id that got a 202, in order
  std::map<std::string, Seen> seen;
  std::vector<std::string> violations;  // human-readable, each one fails the test
  long observations = 0;
  long submit_errors = 0;  // submits without a 202 (mostly: the server was just killed)

  void Violation(std::string what) {
    if (violations.size() < 50) violations.push_back(std::move(what));
  }

  // Records one status read of `id` (the body and its ETag "vN").
  void Observe(const std::string& id, const std::string& body, const std::string& etag) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return;
    const long version = etag.size() > 3 ? std::atol(etag.c_str() + 2) : 0;
    const int progress = static_cast<int>(v.at("progress").as_int64());
    const bool final = v.at("status") != "processing";
    std::lock_guard lock(mu);
    ++observations;
    Seen& s = seen[id];
    if (progress < s.max_progress)
      Violation(id + ": progress went back from " + std::to_string(s.max_progress) + " to " +
                std::to_string(progress));
    if (version < s.max_version)
      Violation(id + ": version went back from " + std::to_string(s.max_version) + " to " +
                std::to_string(version));
    s.max_progress = std::max(s.max_progress, progress);
    s.max_version = std::max(s.max_version, version);
    if (!s.final_body.empty() && (!final || body != s.final_body || version != s.final_version))
      Violation(id + ": final status changed after it was seen\n  first: " + s.final_body +
                "\n  later: " + body);
    if (final && s.final_body.empty()) {
      s.final_body = body;
      s.final_version = version;
    }
  }
};

std::unique_ptr<cli::HttpClient> ClientFor(unsigned short port) {
  auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port));
  return client ? std::move(*client) : nullptr;
}

// Submits until `stop`, recording the ids of 202 answers.
void SubmitLoop(unsigned short port, int client_index, std::atomic<bool>& stop, Ledger& ledger) {
  static const char* kQueries[] = {"magnesio", "vitamin D", "dormir mejor", "omega 3",
                                   "hierro",   "energia",   "zinc",         "ansiedad"};
  auto client = ClientFor(port);
  std::mt19937 rng(static_cast<unsigned>(client_index * 7919 + port));
  for (int i = 0; !stop.load() && i < 100000; ++i) {
    const std::string body = std::string(R"({"query":")") + kQueries[rng() % 8] +
                             R"(","quiz_id":"crash-)" + std::to_string(client_index) + "-" +
                             std::to_string(i) + R"("})";
    auto r = client->Send("POST", "/portal/recommend", body, {}, seconds(5));
    if (r && r->status == 202) {
      boost::system::error_code ec;
      const json::value v = json::parse(r->body, ec);
      std::lock_guard lock(ledger.mu);
      if (!ec && v.is_object() && v.as_object().contains("recommendation_id"))
        ledger.acked.emplace_back(v.at("recommendation_id").as_string());
      else
        ledger.Violation("a 202 without an id: " + r->body);
    } else {
      {
        std::lock_guard lock(ledger.mu);
        ++ledger.submit_errors;
      }
      if (r && r->status != 202 && r->status != 503)
        ledger.Violation("submit answered " + std::to_string(r->status) + ": " + r->body);
      client = ClientFor(port);
    }
    std::this_thread::sleep_for(milliseconds(40 + rng() % 80));
  }
}

// Reads the status of every acknowledged id, round after round, until `stop`.
void ObserveLoop(unsigned short port, std::atomic<bool>& stop, Ledger& ledger) {
  auto client = ClientFor(port);
  for (int round = 0; !stop.load() && round < 100000; ++round) {
    std::vector<std::string> ids;
    {
      std::lock_guard lock(ledger.mu);
      for (const auto& id : ledger.acked)
        if (ledger.seen[id].final_body.empty() || round % 5 == 0) ids.push_back(id);
    }
    for (const auto& id : ids) {
      if (stop.load()) return;
      auto r = client->Send("GET", "/portal/status/" + id, "", {}, seconds(5));
      if (!r) {
        std::this_thread::sleep_for(milliseconds(20));
        client = ClientFor(port);
        continue;
      }
      if (r->status == 200)
        ledger.Observe(id, r->body, r->Header("ETag"));
      else if (r->status != 503)
        ledger.Violation(id + ": status answered " + std::to_string(r->status));
    }
    std::this_thread::sleep_for(milliseconds(30));
  }
}

// Counts "job finished id=X outcome=completed" per id over all the server logs.
std::map<std::string, int> CompletionsInLogs(const std::vector<std::string>& logs) {
  std::map<std::string, int> count;
  const std::regex line("job finished id=(\\S+) outcome=completed");
  for (const auto& text : logs)
    for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it)
      ++count[(*it)[1]];
  return count;
}

TEST(CrashSafetyTest, EveryAcceptedJobCompletesExactlyOnceAcrossRandomKills) {
  const int kills = EnvInt("VITAREC_CRASH_KILLS", 4);
  const int clients = EnvInt("VITAREC_CRASH_CLIENTS", 3);
  const int max_up_ms = std::max(300, EnvInt("VITAREC_CRASH_MAX_UP_MS", 1500));
  const unsigned seed = static_cast<unsigned>(
      EnvInt("VITAREC_CRASH_SEED", static_cast<int>(std::random_device{}() & 0x7fffffff)));
  std::mt19937 rng(seed);
  std::printf(
      "crash-safety: seed=%u kills=%d clients=%d (VITAREC_CRASH_SEED reproduces the delays)\n",
      seed, kills, clients);

  TempDir dir;
  const std::string db = dir.File("vitarec.db");
  // Short leases so a killed server's jobs are taken again quickly; slow stages so kills land
  // mid-job; attempts high enough that repeated kills never exhaust a job.
  const std::vector<std::string> flags = {"--workers",        "8",   "--lease-ms",       "600",
                                          "--poll-ms",        "50",  "--stage-delay-ms", "40",
                                          "--max-attempts",   "100", "--http-threads",   "1",
                                          "--shutdown-grace", "1"};
  Ledger ledger;
  std::vector<std::string> logs;
  const auto started = Clock::now();
  int kills_done = 0;

  for (int k = 0; k < kills; ++k) {
    ServerProcess server(VITAREC_BINARY, db, dir.File("server." + std::to_string(k) + ".log"),
                         flags);
    const unsigned short port = server.WaitForPort();
    ASSERT_NE(port, 0) << "server " << k << " did not start:\n" << server.Log();
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back(SubmitLoop, port, k * 100 + c, std::ref(stop), std::ref(ledger));
    threads.emplace_back(ObserveLoop, port, std::ref(stop), std::ref(ledger));

    std::this_thread::sleep_for(milliseconds(200 + rng() % (max_up_ms - 200)));
    const bool alive = server.Alive();
    const int status = server.Stop(SIGKILL);  // clients are still submitting: a kill under load
    stop = true;
    for (auto& t : threads) t.join();
    logs.push_back(server.Log());
    ASSERT_TRUE(alive) << "server " << k << " died before it was killed (status " << status
                       << "):\n"
                       << logs.back();
    ASSERT_EQ(status, -SIGKILL);
    ++kills_done;
  }

  // A last server, not killed: everything acknowledged must finish.
  std::size_t acked = 0;
  {
    ServerProcess server(VITAREC_BINARY, db, dir.File("server.final.log"), flags);
    const unsigned short port = server.WaitForPort();
    ASSERT_NE(port, 0) << server.Log();
    std::vector<std::string> ids;
    {
      std::lock_guard lock(ledger.mu);
      ids = ledger.acked;
    }
    acked = ids.size();
    ASSERT_GT(acked, 0u) << "no submission was acknowledged";
    auto client = ClientFor(port);
    const auto give_up = Clock::now() + seconds(60 + acked / 10);
    std::set<std::string> pending(ids.begin(), ids.end());
    for (int round = 0; !pending.empty() && Clock::now() < give_up && round < 100000; ++round) {
      for (auto it = pending.begin(); it != pending.end();) {
        auto r = client->Send("GET", "/portal/status/" + *it, "", {}, seconds(10));
        if (r && r->status == 200) {
          ledger.Observe(*it, r->body, r->Header("ETag"));
          std::lock_guard lock(ledger.mu);
          if (!ledger.seen[*it].final_body.empty()) {
            it = pending.erase(it);
            continue;
          }
        }
        ++it;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_EQ(server.Stop(SIGTERM), 0) << "the last server should stop cleanly";
    logs.push_back(server.Log());
  }
  const auto drained = Clock::now();

  // A restart after all that: every final status is still exactly what was first seen.
  ServerProcess server(VITAREC_BINARY, db, dir.File("server.check.log"), flags);
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0) << server.Log();
  auto client = ClientFor(port);
  int lost = 0, not_completed = 0, no_attempt = 0, reran = 0, max_attempt = 0;
  for (const auto& id : ledger.acked) {
    auto r = client->Send("GET", "/portal/status/" + id, "", {}, seconds(10));
    if (!r || r->status != 200) {
      ++lost;
      ADD_FAILURE() << id << " acknowledged with 202 but now "
                    << (r ? std::to_string(r->status) + " " + r->body : r.error().message);
      continue;
    }
    ledger.Observe(id, r->body, r->Header("ETag"));
    const json::value v = json::parse(r->body);
    if (v.at("status") != "completed") {
      ++not_completed;
      ADD_FAILURE() << id << " did not complete: " << r->body;
    }
    const int attempt = static_cast<int>(v.at("attempt").as_int64());
    if (attempt < 1) ++no_attempt;
    if (attempt > 1) ++reran;
    max_attempt = std::max(max_attempt, attempt);
  }
  logs.push_back(server.Log());

  const auto completions = CompletionsInLogs(logs);
  int duplicates = 0;
  for (const auto& [id, n] : completions)
    if (n > 1) {
      ++duplicates;
      ADD_FAILURE() << id << " was completed " << n << " times (log lines)";
    }
  {
    std::lock_guard lock(ledger.mu);
    for (const auto& v : ledger.violations) ADD_FAILURE() << v;
  }
  EXPECT_EQ(no_attempt, 0) << "a completed job must have run at least once";

  const double run_s = std::chrono::duration<double>(drained - started).count();
  std::printf(
      "crash-safety: submitted(202)=%zu kills=%d lost=%d not_completed=%d duplicates=%d "
      "violations=%zu observations=%ld submits_without_202=%ld jobs_run_more_than_once=%d "
      "max_attempt=%d time_s=%.1f\n",
      acked, kills_done, lost, not_completed, duplicates, ledger.violations.size(),
      ledger.observations, ledger.submit_errors, reran, max_attempt, run_s);
  RecordProperty("submitted", static_cast<int>(acked));
  RecordProperty("kills", kills_done);
  RecordProperty("lost", lost);
  RecordProperty("duplicates", duplicates);
}

}  // namespace
}  // namespace vitarec::testing

// Many slow jobs at once on the real binary: 2,000 jobs that each wait 4 x 2.5 s are all in flight
// on one process at the same time (waiting on timers, not on threads), the process is killed
// with SIGKILL while they wait, and a restarted process on the same database completes every
// one of them — nothing accepted is lost, and the process stays under 50 threads.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "cli/HttpClient.h"
#include "support/ServerProcess.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kJobs = 2000;
const std::vector<std::string> kFlags = {"--stage-delay-ms", "2500", "--lease-ms",    "3000",
                                         "--poll-ms",        "100",  "--sqlite-sync", "normal",
                                         "--http-threads",   "2"};

std::unique_ptr<cli::HttpClient> Client(unsigned short port) {
  return std::move(*cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port)));
}

// The value of an unlabelled sample in GET /metrics, or -1.
double Metric(cli::HttpClient& client, const std::string& name) {
  auto r = client.Send("GET", "/metrics", "", {}, seconds(10));
  if (!r || r->status != 200) return -1;
  const std::regex sample("\n" + name + " ([0-9.e+]+)\n");
  std::smatch m;
  return std::regex_search(r->body, m, sample) ? std::stod(m[1]) : -1;
}

int Threads(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}

// Submits kJobs over four keep-alive connections; their ids.
std::vector<std::string> SubmitAll(unsigned short port) {
  std::vector<std::string> ids(kJobs);
  std::atomic<int> refused{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 4; ++t) {
    submitters.emplace_back([&, t] {
      auto client = Client(port);
      for (int i = t; i < kJobs; i += 4) {
        const std::string body = R"({"query":"magnesio )" + std::to_string(i) + R"("})";
        auto r = client->Send("POST", "/portal/recommend", body,
                              {{"Content-Type", "application/json"}}, seconds(10));
        if (!r || r->status != 202) {
          ++refused;
          continue;
        }
        ids[i] = json::parse(r->body).at("recommendation_id").as_string().c_str();
      }
    });
  }
  for (auto& s : submitters) s.join();
  EXPECT_EQ(refused.load(), 0);
  return ids;
}

TEST(SlowJobsRestartTest, TwoThousandWaitingJobsSurviveAKillAndAllComplete) {
  TempDir dir;
  const std::string db = dir.File("vitarec.db");
  std::vector<std::string> ids;
  {
    ServerProcess first(VITAREC_BINARY, db, dir.File("first.log"), kFlags);
    const unsigned short port = first.WaitForPort();
    ASSERT_NE(port, 0) << first.Log();
    ids = SubmitAll(port);
    auto client = Client(port);
    double in_flight = 0;
    for (int i = 0; i < 200 && in_flight < kJobs; ++i) {
      in_flight = Metric(*client, "vitarec_jobs_running");
      std::this_thread::sleep_for(milliseconds(50));
    }
    EXPECT_EQ(in_flight, kJobs) << "every job in flight at once";
    EXPECT_GT(Metric(*client, "vitarec_jobs_awaiting"), kJobs / 2) << "waiting, not computing";
    EXPECT_LT(Threads(first.pid()), 50);
    first.Stop(SIGKILL);  // in the middle of their waits
  }

  ServerProcess second(VITAREC_BINARY, db, dir.File("second.log"), kFlags);
  const unsigned short port = second.WaitForPort();
  ASSERT_NE(port, 0) << second.Log();
  auto client = Client(port);
  // Reads the status of every job not yet seen completed, until none is left (or 90 s passed).
  std::vector<std::string> remaining = ids;
  const auto give_up = std::chrono::steady_clock::now() + seconds(90);
  while (!remaining.empty() && std::chrono::steady_clock::now() < give_up) {
    std::vector<std::string> still;
    for (const std::string& id : remaining) {
      auto r = client->Send("GET", "/portal/status/" + id, "", {}, seconds(10));
      ASSERT_TRUE(r && r->status == 200) << id;
      const json::value status = json::parse(r->body);
      const bool done =
          status.at("status") == "completed" && status.at("recommendation").is_object();
      if (!done) still.push_back(id);
    }
    remaining.swap(still);
    if (!remaining.empty()) std::this_thread::sleep_for(milliseconds(500));
  }
  EXPECT_TRUE(remaining.empty()) << remaining.size() << " of " << kJobs << " not completed";
  EXPECT_LT(Threads(second.pid()), 50);
  EXPECT_EQ(second.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace vitarec::testing

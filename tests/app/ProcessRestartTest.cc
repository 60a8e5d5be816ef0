// The real binary, killed and restarted on the same database: completed work survives, work
// left running by a killed process completes after restart, and SIGTERM hands work back.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/HttpClient.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

class ServerProcess {
 public:
  // Each process logs to its own file, `log_prefix`.N.log.
  ServerProcess(const std::string& db, const std::string& log_prefix,
                std::vector<std::string> extra)
      : log_(log_prefix + "." + std::to_string(++count_) + ".log") {
    const std::string log = log_;
    std::vector<std::string> args = {
        VITAREC_BINARY,    "serve",          "--listen", "127.0.0.1:0", "--store", "sqlite:" + db,
        "--no-access-log", "--http-threads", "1",        "--poll-ms",   "50"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 2);
      dup2(fd, 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // The port from the "listening" log line, or 0 after 10 s.
  unsigned short WaitForPort() {
    const std::regex listening("listening address=\\S+ port=(\\d+)");
    const auto give_up = std::chrono::steady_clock::now() + seconds(10);
    while (std::chrono::steady_clock::now() < give_up) {
      std::ifstream in(log_);
      std::stringstream text;
      text << in.rdbuf();
      std::string all = text.str();
      std::smatch m;
      if (std::regex_search(all, m, listening) && all.find("ready url=") != std::string::npos)
        return static_cast<unsigned short>(std::stoi(m[1]));
      std::this_thread::sleep_for(milliseconds(20));
    }
    return 0;
  }

  // Sends `sig` and waits for the exit; returns the exit status (or -signal).
  int Stop(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

 private:
  static inline int count_ = 0;
  std::string log_;
  pid_t pid_ = -1;
};

json::value Get(unsigned short port, const std::string& target) {
  auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port));
  auto r = (*client)->Send("GET", target, "", {}, seconds(10));
  if (!r) return {};
  boost::system::error_code ec;
  return json::parse(r->body, ec);
}

std::string Submit(unsigned short port, const std::string& body) {
  auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port));
  auto r = (*client)->Send("POST", "/portal/recommend", body, {}, seconds(10));
  EXPECT_TRUE(r && r->status == 202);
  return r ? std::string(json::parse(r->body).at("recommendation_id").as_string()) : "";
}

json::value WaitFor(unsigned short port, const std::string& id,
                    const std::function<bool(const json::value&)>& done, seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  json::value v;
  while (std::chrono::steady_clock::now() < give_up) {
    v = Get(port, "/portal/status/" + id);
    if (v.is_object() && done(v)) return v;
    std::this_thread::sleep_for(milliseconds(25));
  }
  return v;
}

bool IsCompleted(const json::value& v) { return v.at("status") == "completed"; }

class ProcessRestartTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string db_ = dir_.File("vitarec.db");
  std::string log_ = dir_.File("server");
};

TEST_F(ProcessRestartTest, ACompletedRecommendationIsStillThereAfterARestart) {
  std::string id;
  json::value before;
  {
    ServerProcess server(db_, log_, {});
    const unsigned short port = server.WaitForPort();
    ASSERT_NE(port, 0) << "server did not start";
    id = Submit(port, R"({"query":"magnesio","quiz_id":"q1"})");
    before = WaitFor(port, id, IsCompleted, seconds(10));
    ASSERT_TRUE(IsCompleted(before));
    EXPECT_EQ(server.Stop(SIGTERM), 0) << "SIGTERM should stop the server cleanly";
  }
  ServerProcess server(db_, log_, {});
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0);
  const json::value after = Get(port, "/portal/status/" + id);
  EXPECT_EQ(after, before);
}

TEST_F(ProcessRestartTest, AJobLeftRunningByAKilledProcessCompletesAfterRestart) {
  std::string id;
  {
    ServerProcess server(db_, log_, {"--stage-delay-ms", "2000", "--lease-ms", "1000"});
    const unsigned short port = server.WaitForPort();
    ASSERT_NE(port, 0);
    id = Submit(port, R"({"query":"magnesio"})");
    const json::value running = WaitFor(
        port, id, [](const json::value& v) { return v.at("progress").as_int64() >= 10; },
        seconds(10));
    ASSERT_EQ(running.at("state"), "running");
    EXPECT_EQ(server.Stop(SIGKILL), -SIGKILL);
  }
  ServerProcess server(db_, log_, {"--lease-ms", "1000"});
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0);
  const json::value done = WaitFor(port, id, IsCompleted, seconds(15));
  ASSERT_TRUE(IsCompleted(done)) << json::serialize(done);
  EXPECT_EQ(done.at("attempt"), 2) << "the job should have been taken again once";
}

TEST_F(ProcessRestartTest, SigtermHandsRunningWorkBackForTheNextStart) {
  std::string id;
  {
    ServerProcess server(db_, log_, {"--stage-delay-ms", "1500", "--shutdown-grace", "0"});
    const unsigned short port = server.WaitForPort();
    ASSERT_NE(port, 0);
    id = Submit(port, R"({"query":"magnesio"})");
    WaitFor(
        port, id, [](const json::value& v) { return v.at("progress").as_int64() >= 10; },
        seconds(10));
    EXPECT_EQ(server.Stop(SIGTERM), 0);
  }
  ServerProcess server(db_, log_, {});
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0);
  const json::value done = WaitFor(port, id, IsCompleted, seconds(10));
  ASSERT_TRUE(IsCompleted(done)) << json::serialize(done);
  EXPECT_EQ(done.at("attempt"), 1) << "a hand-back must not count as an attempt";
}

}  // namespace
}  // namespace vitarec::testing

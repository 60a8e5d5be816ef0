// The log set-up of app/Logging: lines from many threads reach stderr whole, none lost, each
// thread's in its order, also when they are written in batches under load. Runs in a forked
// child (the loggers are process-wide and write to fd 2), whose stderr is read through a pipe.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/Logging.h"

namespace vitarec::app {
namespace {

constexpr int kThreads = 4;
constexpr int kLinesPerThread = 20000;

// In the child: a burst from several threads (batched writes, the pool's pauses), then a lone
// line after a quiet moment; the process then ends the way `vitarec serve` does.
[[noreturn]] void LogInChild() {
  SetUpLogging("info");
  const auto http = spdlog::get("http");
  const auto jobs = spdlog::get("jobs");
  if (!http || !jobs) _exit(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &http] {
      for (int i = 0; i < kLinesPerThread; ++i)
        http->info("request thread={} seq={} pad={}", t, i, std::string(40, 'x'));
    });
  }
  for (auto& thread : threads) thread.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  jobs->warn("lone line after the burst");
  spdlog::shutdown();
  _exit(0);
}

std::string RunChild() {
  int fds[2];
  if (pipe(fds) != 0) return "";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    LogInChild();
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return out;
}

TEST(LoggingTest, EveryLineArrivesWholeAndInOrderPerThread) {
  const std::string out = RunChild();
  const std::regex line_re(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  http  request thread=(\d) seq=(\d+) pad=x{40}$)");
  std::map<int, int> next_seq;  // thread -> the seq expected next
  int burst_lines = 0;
  bool lone_seen = false;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, line_re)) {
      ASSERT_FALSE(lone_seen) << "a burst line after the lone line: " << line;
      const int thread = std::stoi(m[1]);
      const int seq = std::stoi(m[2]);
      ASSERT_EQ(seq, next_seq[thread]) << "thread " << thread << " out of order: " << line;
      next_seq[thread] = seq + 1;
      ++burst_lines;
    } else if (line.find(" warning jobs  lone line after the burst") != std::string::npos) {
      lone_seen = true;
    } else {
      FAIL() << "unexpected or broken line: \"" << line << "\"";
    }
  }
  EXPECT_EQ(burst_lines, kThreads * kLinesPerThread);
  EXPECT_TRUE(lone_seen);
}

}  // namespace
}  // namespace vitarec::app

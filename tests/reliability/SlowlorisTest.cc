// Slowloris against the real binary: hundreds of connections that send a partial request and
// then trickle one byte every so often (and reconnect when cut), while a normal client keeps
// submitting and polling. The normal client must be served promptly throughout, and the server
// must cut every slow connection about --read-timeout after it opened (trickling must not
// extend it).
//
// Environment: VITAREC_SLOWLORIS_CONNECTIONS (300), VITAREC_SLOWLORIS_SECONDS (8).
#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <thread>

#include "cli/HttpClient.h"
#include "support/Env.h"
#include "support/RawHttp.h"
#include "support/ServerProcess.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

struct SlowConnection {
  int fd = -1;
  Clock::time_point opened;
  Clock::time_point next_byte;
};

TEST(SlowlorisTest, NormalClientsAreServedWhileHundredsOfSlowConnectionsAreHeldAndCut) {
  const int target = EnvInt("VITAREC_SLOWLORIS_CONNECTIONS", 300);
  const int attack_s = EnvInt("VITAREC_SLOWLORIS_SECONDS", 8);
  constexpr int kReadTimeoutS = 2;
  TempDir dir;
  ServerProcess server(VITAREC_BINARY, dir.File("vitarec.db"), dir.File("server.log"),
                       {"--read-timeout", std::to_string(kReadTimeoutS), "--http-threads", "2",
                        "--workers", "4", "--poll-ms", "50"});
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0) << server.Log();

  std::atomic<int> held_now{0}, held_peak{0}, opened_total{0}, cut_total{0}, connect_failures{0};
  std::vector<double> cut_after_ms;  // attacker thread only, read after join
  std::thread attacker([&] {
    std::vector<SlowConnection> conns;
    const auto open_one = [&] {
      const int fd = ConnectLocal(port);
      if (fd < 0) {
        ++connect_failures;
        return;
      }
      // A request line and the start of a header, never finished.
      SendAll(fd, "POST /portal/recommend HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      const auto now = Clock::now();
      conns.push_back({fd, now, now + milliseconds(500)});
      ++opened_total;
    };
    const auto end = Clock::now() + seconds(attack_s);
    for (int tick = 0; tick < 100000; ++tick) {
      const bool on = Clock::now() < end;
      while (on && static_cast<int>(conns.size()) < target && connect_failures < 1000) open_one();
      held_now = static_cast<int>(conns.size());
      held_peak = std::max(held_peak.load(), held_now.load());
      if (!on) break;
      std::vector<pollfd> fds;
      for (const auto& c : conns) fds.push_back({c.fd, POLLIN, 0});
      ::poll(fds.data(), fds.size(), 50);
      const auto now = Clock::now();
      std::vector<SlowConnection> kept;
      for (std::size_t i = 0; i < conns.size(); ++i) {
        SlowConnection c = conns[i];
        bool closed = false;
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
          // Any answer (an error response or the close) means the server cut it.
          char buf[512];
          (void)::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
          closed = true;
        }
        if (!closed && now >= c.next_byte) {
          closed = !SendAll(c.fd, "a");
          c.next_byte = now + milliseconds(500);
        }
        if (closed) {
          cut_after_ms.push_back(Ms(now - c.opened));
          ++cut_total;
          ::close(c.fd);
        } else {
          kept.push_back(c);
        }
      }
      conns = std::move(kept);
    }
    for (const auto& c : conns) ::close(c.fd);
    held_now = 0;
  });

  // Give the attacker a moment to open its connections, then act as a normal client.
  for (int i = 0; i < 100 && held_now < target && connect_failures == 0; ++i)
    std::this_thread::sleep_for(milliseconds(20));
  const int held_when_normal_started = held_now;
  std::vector<double> latencies;
  int failures = 0;
  std::string first_failure;
  auto client = std::move(*cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port)));
  const auto normal_end = Clock::now() + seconds(attack_s - 1);
  for (int i = 0; i < 10000 && Clock::now() < normal_end; ++i) {
    const auto t0 = Clock::now();
    auto posted =
        client->Send("POST", "/portal/recommend", R"({"query":"magnesio"})", {}, seconds(10));
    latencies.push_back(Ms(Clock::now() - t0));
    if (!posted || posted->status != 202) {
      ++failures;
      if (first_failure.empty())
        first_failure =
            posted ? std::to_string(posted->status) + " " + posted->body : posted.error().message;
      continue;
    }
    const std::string id(json::parse(posted->body).at("recommendation_id").as_string());
    const auto t1 = Clock::now();
    auto status = client->Send("GET", "/portal/status/" + id, "", {}, seconds(10));
    latencies.push_back(Ms(Clock::now() - t1));
    if (!status || status->status != 200) {
      ++failures;
      if (first_failure.empty())
        first_failure = status ? std::to_string(status->status) : status.error().message;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  attacker.join();

  ASSERT_TRUE(server.Alive()) << server.Log();
  const double p50 = Percentile(latencies, 0.5), p99 = Percentile(latencies, 0.99);
  const double max_latency = Percentile(latencies, 1.0);
  const double cut_p50 = Percentile(cut_after_ms, 0.5), cut_max = Percentile(cut_after_ms, 1.0);
  std::printf(
      "slowloris: target=%d held_peak=%d held_when_normal_started=%d opened_total=%d cut_total=%d "
      "connect_failures=%d cut_after_ms p50=%.0f max=%.0f (read-timeout %d s) | normal "
      "requests=%zu "
      "failures=%d latency_ms p50=%.1f p99=%.1f max=%.1f\n",
      target, held_peak.load(), held_when_normal_started, opened_total.load(), cut_total.load(),
      connect_failures.load(), cut_p50, cut_max, kReadTimeoutS, latencies.size(), failures, p50,
      p99, max_latency);

  EXPECT_GE(held_peak.load(), target) << "could not hold the slow connections";
  EXPECT_EQ(failures, 0) << "first failure: " << first_failure;
  EXPECT_GE(latencies.size(), 20u);
  EXPECT_LT(p99, 1000.0) << "normal clients waited too long";
  EXPECT_GT(cut_total.load(), target / 2) << "the server did not cut the slow connections";
  // Deadlines are checked once a second; trickled bytes must not extend them.
  EXPECT_LT(cut_max, (kReadTimeoutS + 2.5) * 1000.0);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace vitarec::testing

// Several real `vitarec serve` processes on one PostgreSQL database (issue 6, items 4 and 6):
//  - one node SIGKILLed mid-run: every accepted job completes exactly once, its completed body
//    never changes, and every live node answers every id with the same status JSON;
//  - a long-poll on one node wakes up when another node's worker changes the job (NOTIFY);
//  - PostgreSQL restarted mid-run: nodes answer 503 JSON while it is down, reconnect by
//    themselves, and nothing accepted is lost; event streams open across the restart, on every
//    node, still show their job's completion (changes notified while a node was not listening
//    are looked up when it listens again);
//  - nginx configured from deploy/nginx/vitarec.conf in front of three nodes: submit, status,
//    long-poll and Server-Sent Events through it, spread over the nodes.
// Every process started here (nodes, nginx) is stopped by its own PID; waits are bounded.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/HttpClient.h"
#include "multinode/MultiNodeSupport.h"
#include "support/PostgresServer.h"
#include "support/RawHttp.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

// Stops the private PostgreSQL server PostgresServer::Shared() may have started (none when the
// CTest fixture's server is used).
class SharedPostgresEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override { PostgresServer::StopShared(); }
};
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SharedPostgresEnvironment);

// Rows of `sql` (as text) on the database at `url`.
std::vector<std::vector<std::string>> Query(const std::string& url, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
      for (int r = 0; r < PQntuples(result); ++r) {
        rows.emplace_back();
        for (int c = 0; c < PQnfields(result); ++c)
          rows.back().emplace_back(PQgetvalue(result, r, c));
      }
    } else {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result);
    }
    PQclear(result);
  } else {
    ADD_FAILURE() << "cannot connect: " << PQerrorMessage(conn);
  }
  PQfinish(conn);
  return rows;
}

class MultiNodeTest : public ::testing::Test {
 protected:
  // A fresh schema of the shared test server (the CTest fixture's, or a private one).
  void UseSharedServer() {
    PostgresServer& server = PostgresServer::Shared();
    std::random_device random;
    schema_ = "mn_" + std::to_string(random()) + "_" + std::to_string(random());
    server.Sql(PostgresServer::kDatabase, "CREATE SCHEMA " + schema_);
    shared_ = &server;
    url_ = server.Url(PostgresServer::kDatabase, schema_);
  }
  void TearDown() override {
    nodes_.clear();  // SIGKILL and reap before the schema goes
    if (shared_ != nullptr && !schema_.empty()) {
      try {
        shared_->Sql(PostgresServer::kDatabase, "DROP SCHEMA " + schema_ + " CASCADE");
      } catch (const std::exception&) {
      }
    }
  }

  // Starts `count` nodes on url_ and waits until each is ready.
  void StartNodes(int count, const std::vector<std::string>& extra) {
    const std::size_t first = nodes_.size();
    for (int i = 0; i < count; ++i) {
      nodes_.push_back(std::make_unique<Node>(
          url_, dir_.File("node" + std::to_string(first + i) + ".log"), extra));
    }
    for (std::size_t i = first; i < nodes_.size(); ++i) {
      ASSERT_TRUE(nodes_[i]->WaitReady()) << "node " << i << " did not start:\n"
                                          << nodes_[i]->Log();
    }
  }

  std::vector<Node*> Live() const {
    std::vector<Node*> live;
    for (const auto& n : nodes_)
      if (n->alive()) live.push_back(n.get());
    return live;
  }
  std::vector<std::string> Logs() const {
    std::vector<std::string> logs;
    for (const auto& n : nodes_) logs.push_back(n->Log());
    return logs;
  }

  TempDir dir_;
  PostgresServer* shared_ = nullptr;
  std::string schema_;
  std::string url_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

// --- one node killed -------------------------------------------------------------------------

TEST_F(MultiNodeTest, KilledNodesJobsAreTakenOverAndCompleteExactlyOnceOnEveryNode) {
  UseSharedServer();
  // Short leases so that the killed node's jobs are taken over quickly; slow stages so that
  // work is in flight when it dies; debug logs tell which node claimed what.
  StartNodes(3, {"--workers", "3", "--lease-ms", "1000", "--poll-ms", "100", "--stage-delay-ms",
                 "150", "--log-level", "debug"});
  if (HasFatalFailure()) return;

  std::vector<std::string> ids;
  for (int i = 0; i < 45; ++i) {  // round-robin over the three nodes
    const std::string id = Submit(nodes_[i % 3]->port(), i);
    ASSERT_FALSE(id.empty()) << "submit " << i << " refused";
    ids.push_back(id);
  }

  // Kill the third node while it has a job in hand (claimed and not finished).
  Node& victim = *nodes_[2];
  const std::set<std::string> orphaned = KillWithJobsInHand(victim);
  ASSERT_FALSE(orphaned.empty()) << "the killed node had no job in hand";

  // More work, round-robin over the survivors; the killed node refuses connections.
  for (int i = 45; i < 60; ++i) {
    const std::string id = Submit(nodes_[i % 2]->port(), i);
    ASSERT_FALSE(id.empty()) << "submit " << i << " refused";
    ids.push_back(id);
  }
  EXPECT_EQ(Http(victim.port(), "GET", "/healthz").status, 0) << "the killed node still answers";

  std::map<std::string, std::string> completed;
  const auto pending = AwaitCompleted(ids, Live(), completed, seconds(40));
  ASSERT_TRUE(pending.empty()) << pending.size() << " accepted jobs never completed, e.g. "
                               << *pending.begin();
  ExpectNodesAgree(Live(), completed);

  // At most one completion per job over all nodes' logs (the dead one's included; its last
  // lines may have died in its log queue), and the jobs the dead node had in hand were
  // completed by a survivor, on a later attempt.
  std::this_thread::sleep_for(milliseconds(300));  // the survivors' asynchronous log lines
  const auto completions = Finished(Logs(), "completed");
  for (const auto& [id, count] : completions) EXPECT_EQ(count, 1) << "completions of " << id;
  std::vector<std::string> survivor_logs;
  for (Node* node : Live()) survivor_logs.push_back(node->Log());
  const auto survivors_completions = Finished(survivor_logs, "completed");
  for (const std::string& id : orphaned) {
    EXPECT_TRUE(survivors_completions.contains(id)) << id << " not completed by a survivor";
    const auto rows = Query(url_, "SELECT state, attempt FROM jobs WHERE id = '" + id + "'");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0], "completed");
    EXPECT_GE(std::stoi(rows[0][1]), 2) << id << " was not run again after the kill";
  }
  const auto states = Query(url_, "SELECT state, count(*) FROM jobs GROUP BY state");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0][0], "completed");
  EXPECT_EQ(states[0][1], std::to_string(ids.size()));
}

// --- NOTIFY fan-out -------------------------------------------------------------------------

// Long-polls `id` on every node in parallel, from the version in `etag`; returns, per node,
// the time until it answered and the answer.
std::vector<std::pair<milliseconds, Reply>> LongPollAll(const std::vector<Node*>& nodes,
                                                        const std::string& id,
                                                        const std::string& etag) {
  std::vector<std::future<std::pair<milliseconds, Reply>>> polls;
  for (Node* node : nodes) {
    polls.push_back(std::async(std::launch::async, [port = node->port(), id, etag] {
      const auto start = Clock::now();
      Reply r = Http(port, "GET", "/portal/status/" + id + "?wait=10", "",
                     {{"If-None-Match", etag}}, seconds(20));
      return std::make_pair(std::chrono::duration_cast<milliseconds>(Clock::now() - start), r);
    }));
  }
  std::vector<std::pair<milliseconds, Reply>> out;
  for (auto& p : polls) out.push_back(p.get());
  return out;
}

// The index of the node whose log shows `id` completed (log lines are written asynchronously:
// allow them a moment), or -1.
int CompletedBy(const std::vector<Node*>& nodes, const std::string& id) {
  const auto give_up = Clock::now() + seconds(3);
  while (Clock::now() < give_up) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (Finished({nodes[i]->Log()}, "completed").contains(id)) return static_cast<int>(i);
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  return -1;
}

TEST_F(MultiNodeTest, LongPollOnOneNodeWakesWhenAnotherNodesWorkerChangesTheJob) {
  UseSharedServer();
  // Each stage lasts a second: after a change there is a quiet second before the next one.
  StartNodes(3, {"--workers", "2", "--poll-ms", "100", "--stage-delay-ms", "1000"});
  if (HasFatalFailure()) return;

  for (int round = 0; round < 2; ++round) {
    const std::string id = Submit(nodes_[round]->port(), 100 + round);
    ASSERT_FALSE(id.empty());
    // Wait until a worker (on any node) has claimed it, then long-poll from that version on
    // all three nodes at once. Only the working node's own writer publishes locally; the others
    // learn of the next change (the 30 % progress write, a second later) through NOTIFY alone.
    Reply running;
    const auto give_up = Clock::now() + seconds(10);
    while (Clock::now() < give_up) {
      running = Http(nodes_[0]->port(), "GET", "/portal/status/" + id);
      if (Field(running.Json(), "state") == "running") break;
      std::this_thread::sleep_for(milliseconds(10));
    }
    ASSERT_EQ(Field(running.Json(), "state"), "running") << running.body;
    const auto polls = LongPollAll(Live(), id, running.etag);

    std::map<std::string, std::string> completed;
    ASSERT_TRUE(AwaitCompleted({id}, Live(), completed, seconds(15)).empty());
    const int worker = CompletedBy(Live(), id);
    ASSERT_GE(worker, 0) << "no node logged the completion of " << id;
    int others = 0;
    for (std::size_t i = 0; i < polls.size(); ++i) {
      const auto& [took, reply] = polls[i];
      EXPECT_EQ(reply.status, 200) << "node " << i << ": " << reply.body << reply.error;
      EXPECT_NE(reply.etag, running.etag) << "node " << i << " answered an unchanged job";
      EXPECT_LT(took, seconds(4)) << "node " << i << " (worker: node " << worker
                                  << ") was not woken by the change";
      EXPECT_GT(took, milliseconds(100)) << "node " << i << " did not wait for the change";
      if (static_cast<int>(i) != worker) ++others;
    }
    EXPECT_EQ(others, 2);
  }
}

// --- PostgreSQL restarted -------------------------------------------------------------------

std::vector<std::pair<Clock::time_point, json::value>> ReadEvents(unsigned short port,
                                                                  const std::string& target,
                                                                  seconds limit);

TEST_F(MultiNodeTest, PostgresRestartGives503ThenNodesReconnectAndLoseNothing) {
  // A server of this test's own: it is stopped and started again.
  auto server = PostgresServer::Start();
  url_ = server->Url();
  StartNodes(
      3, {"--workers", "3", "--lease-ms", "1000", "--poll-ms", "100", "--stage-delay-ms", "100"});
  if (HasFatalFailure()) return;

  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    const std::string id = Submit(nodes_[i % 3]->port(), 200 + i);
    ASSERT_FALSE(id.empty()) << "submit " << i << " refused";
    ids.push_back(id);
  }
  std::this_thread::sleep_for(milliseconds(300));  // work in flight on every node
  // Event streams open across the restart, on every node, of jobs that are not done yet.
  std::vector<std::future<std::vector<std::pair<Clock::time_point, json::value>>>> streams;
  for (int i = 0; i < 3; ++i) {
    streams.push_back(std::async(std::launch::async, [port = nodes_[i]->port(), id = ids[27 + i]] {
      return ReadEvents(port, "/portal/events/" + id, seconds(40));
    }));
  }
  std::this_thread::sleep_for(milliseconds(100));

  server->Halt();  // fast shutdown: every node's connections are cut
  const auto down_since = Clock::now();
  for (int round = 0; round < 3; ++round) {
    for (Node* node : Live()) {
      const Reply submit = Http(node->port(), "POST", "/portal/recommend", RequestBody(999));
      EXPECT_EQ(submit.status, 503)
          << "port " << node->port() << ": " << submit.body << submit.error;
      EXPECT_EQ(
          Field(submit.Json().is_object() ? submit.Json().at("error") : json::value(), "code"),
          "unavailable")
          << submit.body;
      EXPECT_EQ(submit.content_type.rfind("application/json", 0), 0u) << submit.content_type;
      EXPECT_FALSE(submit.retry_after.empty());
      const Reply ready = Http(node->port(), "GET", "/readyz");
      EXPECT_EQ(ready.status, 503) << ready.body;
      EXPECT_EQ(ready.content_type.rfind("application/json", 0), 0u) << ready.content_type;
      const Reply status = Http(node->port(), "GET", "/portal/status/" + ids[0]);
      EXPECT_EQ(status.status, 503) << status.body;
      EXPECT_EQ(Http(node->port(), "GET", "/healthz").status, 200) << "liveness needs no database";
    }
    std::this_thread::sleep_for(milliseconds(500));
  }
  const auto down_for = Clock::now() - down_since;

  server->Restart();  // same port, same data
  for (Node* node : Live()) {
    const auto give_up = Clock::now() + seconds(20);
    int ready = 0;
    while (Clock::now() < give_up && (ready = Http(node->port(), "GET", "/readyz").status) != 200)
      std::this_thread::sleep_for(milliseconds(100));
    EXPECT_EQ(ready, 200) << "port " << node->port() << " did not reconnect";
  }
  EXPECT_GT(down_for, seconds(1));

  // New work is accepted again, on every node. /readyz pings through a reader connection; the
  // writer connection reconnects at its own next attempt (backoff up to 5 s), so a submit may
  // still get 503 + Retry-After for a moment after /readyz turned 200: retry as a client would.
  for (int i = 0; i < 6; ++i) {
    std::string id;
    int status = 0;
    const auto give_up = Clock::now() + seconds(10);
    while ((id = Submit(nodes_[i % 3]->port(), 300 + i, &status)).empty() && status == 503 &&
           Clock::now() < give_up) {
      std::this_thread::sleep_for(milliseconds(200));
    }
    ASSERT_FALSE(id.empty()) << "submit after the restart refused: " << status;
    ids.push_back(id);
  }
  std::map<std::string, std::string> completed;
  const auto pending = AwaitCompleted(ids, Live(), completed, seconds(40));
  ASSERT_TRUE(pending.empty()) << pending.size() << " accepted jobs never completed, e.g. "
                               << *pending.begin();
  ExpectNodesAgree(Live(), completed);
  const auto all_completed = Clock::now();
  for (int i = 0; i < 3; ++i) {
    const auto events = streams[i].get();
    ASSERT_FALSE(events.empty()) << "no event on node " << i;
    EXPECT_EQ(Field(events.back().second, "status"), "completed")
        << "the event stream of " << ids[27 + i] << " on node " << i
        << " never showed the completion";
    EXPECT_LT(events.back().first - all_completed, seconds(2))
        << "the event stream on node " << i << " showed the completion late";
  }
  const auto states = Query(url_, "SELECT state, count(*) FROM jobs GROUP BY state");
  ASSERT_EQ(states.size(), 1u) << "some jobs are not completed";
  EXPECT_EQ(states[0][1], std::to_string(ids.size()));

  // The LISTEN connections came back too: a long-poll on every node wakes on the next change.
  const std::string id = Submit(nodes_[0]->port(), 400);
  ASSERT_FALSE(id.empty());
  Reply running;
  const auto give_up = Clock::now() + seconds(10);
  while (Clock::now() < give_up && Field(running.Json(), "state") != "running") {
    running = Http(nodes_[0]->port(), "GET", "/portal/status/" + id);
    std::this_thread::sleep_for(milliseconds(5));
  }
  for (const auto& [took, reply] : LongPollAll(Live(), id, running.etag)) {
    EXPECT_EQ(reply.status, 200) << reply.body << reply.error;
    EXPECT_LT(took, seconds(4)) << "a node did not hear of the change after the restart";
  }
  nodes_.clear();  // before the server goes
}

// --- nginx in front ---------------------------------------------------------------------------

// nginx in the foreground (its master is our child), with the site configuration generated from
// deploy/nginx/vitarec.conf for `upstreams`.
class Nginx {
 public:
  static std::string Binary() {
    for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"})
      if (::access(path, X_OK) == 0) return path;
    return "";
  }

  Nginx(const std::filesystem::path& dir, const std::vector<unsigned short>& upstreams)
      : dir_(dir) {
    std::filesystem::create_directories(dir_);
    ::chmod(dir_.c_str(), 0755);
    port_ = FreePort();
    // The site: the template with its "# @node" lines replaced by our nodes and the "# @listen"
    // line by our port.
    std::istringstream in(ReadFile(VITAREC_SOURCE_DIR "/deploy/nginx/vitarec.conf"));
    std::ofstream site(dir_ / "vitarec.conf");
    bool nodes_written = false;
    for (std::string line; std::getline(in, line);) {
      if (line.ends_with("# @node")) {
        if (!nodes_written) {
          for (unsigned short p : upstreams) {
            site << std::regex_replace(line, std::regex("server [^ ;]+"),
                                       "server 127.0.0.1:" + std::to_string(p))
                 << "\n";
          }
        }
        nodes_written = true;
      } else if (line.ends_with("# @listen")) {
        site << std::regex_replace(line, std::regex("listen [^;]+"),
                                   "listen 127.0.0.1:" + std::to_string(port_))
             << "\n";
      } else {
        site << line << "\n";
      }
    }
    site.close();
    const std::string d = dir_.string();
    std::ofstream(dir_ / "nginx.conf")
        << "daemon off;\nworker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d
        << "/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n"
        << "  log_format upstream '$request_method $uri $status $upstream_addr';\n"
        << "  access_log " << d << "/access.log upstream;\n"
        << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n  include " << d << "/vitarec.conf;\n}\n";
    pid_ = Spawn({Binary(), "-c", d + "/nginx.conf", "-p", d}, d + "/nginx.out");
  }
  ~Nginx() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);  // the master stops its workers, then exits
    int status = 0;
    const auto give_up = Clock::now() + seconds(10);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > give_up) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

  bool WaitReady() {
    const auto give_up = Clock::now() + seconds(10);
    while (Clock::now() < give_up && ::waitpid(pid_, nullptr, WNOHANG) == 0) {
      if (Http(port_, "GET", "/healthz").status == 200) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }

  unsigned short port() const { return port_; }
  std::string Log() const {
    return ReadFile((dir_ / "nginx.out").string()) + ReadFile((dir_ / "error.log").string());
  }
  std::string AccessLog() const { return ReadFile((dir_ / "access.log").string()); }

 private:
  static unsigned short FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  std::filesystem::path dir_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
};

// Reads a Server-Sent Events stream of `target` through `port` until it ends; returns each
// event's data with the time it arrived.
std::vector<std::pair<Clock::time_point, json::value>> ReadEvents(unsigned short port,
                                                                  const std::string& target,
                                                                  seconds limit) {
  std::vector<std::pair<Clock::time_point, json::value>> events;
  const int fd = ConnectLocal(port);
  if (fd < 0) return events;
  SendAll(fd, "GET " + target +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                  "Connection: close\r\n\r\n");
  std::string pending;
  const auto give_up = Clock::now() + limit;
  while (Clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[8192];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    // Chunked transfer framing may split a line; "data: {...}\n" lines are whole JSON objects.
    std::size_t at;
    while ((at = pending.find("data: {")) != std::string::npos) {
      const std::size_t end = pending.find("}\n", at);
      if (end == std::string::npos) break;
      boost::system::error_code ec;
      json::value v = json::parse(pending.substr(at + 6, end + 1 - at - 6), ec);
      if (!ec) events.emplace_back(Clock::now(), std::move(v));
      pending.erase(0, end + 2);
    }
  }
  ::close(fd);
  return events;
}

TEST_F(MultiNodeTest, NginxFromDeployConfigSpreadsSubmitStatusAndStreamsEvents) {
  if (Nginx::Binary().empty())
    GTEST_SKIP() << "nginx is not installed (apt-get install nginx-light)";
  UseSharedServer();
  StartNodes(3, {"--workers", "2", "--poll-ms", "100", "--stage-delay-ms", "300"});
  if (HasFatalFailure()) return;
  Nginx nginx(dir_.path() / "nginx", {nodes_[0]->port(), nodes_[1]->port(), nodes_[2]->port()});
  ASSERT_TRUE(nginx.WaitReady()) << nginx.Log();
  const unsigned short lb = nginx.port();

  EXPECT_EQ(Http(lb, "GET", "/readyz").status, 200);

  // Submits through nginx: 202 with Location, spread over the nodes.
  std::vector<std::string> ids;
  for (int i = 0; i < 9; ++i) {
    const Reply r = Http(lb, "POST", "/portal/recommend", RequestBody(500 + i));
    ASSERT_EQ(r.status, 202) << r.body << r.error;
    const std::string id = Field(r.Json(), "recommendation_id");
    EXPECT_EQ(r.location, "/portal/status/" + id);
    ids.push_back(id);
  }
  // Status through nginx: a long-poll answers as soon as something changes, then completed.
  std::map<std::string, std::string> completed;
  for (const std::string& id : ids) {
    const auto give_up = Clock::now() + seconds(20);
    Reply r;
    while (Clock::now() < give_up) {
      r = Http(lb, "GET", "/portal/status/" + id + "?wait=10", "", {}, seconds(20));
      if (Field(r.Json(), "status") == "completed") break;
    }
    ASSERT_EQ(Field(r.Json(), "status"), "completed") << r.body << r.error;
    completed.emplace(id, r.body);
  }
  ExpectNodesAgree(Live(), completed);  // what nginx relayed is what every node answers
  std::set<std::string> upstreams;
  const std::regex submit_line("POST /portal/recommend 202 (\\S+)");
  const std::string access = nginx.AccessLog();
  for (std::sregex_iterator it(access.begin(), access.end(), submit_line), end; it != end; ++it)
    upstreams.insert((*it)[1]);
  EXPECT_EQ(upstreams.size(), 3u) << "submits were not spread over the nodes:\n" << access;

  // Server-Sent Events through nginx, both routes: each event arrives when it happens (not
  // buffered until the stream ends), the last one completed.
  for (const std::string prefix : {"/portal/events/", "/api/portal/events/"}) {
    const Reply r = Http(lb, "POST", "/portal/recommend", RequestBody(600 + prefix.size()));
    ASSERT_EQ(r.status, 202);
    const std::string id = Field(r.Json(), "recommendation_id");
    const auto events = ReadEvents(lb, prefix + id, seconds(20));
    ASSERT_GE(events.size(), 3u) << prefix << ": too few events";
    EXPECT_EQ(Field(events.back().second, "status"), "completed");
    EXPECT_GT(events.back().first - events.front().first, milliseconds(500))
        << prefix << ": the events arrived together (buffered)";
    for (std::size_t i = 1; i < events.size(); ++i) {
      EXPECT_GE(events[i].second.at("progress").as_int64(),
                events[i - 1].second.at("progress").as_int64());
    }
  }

  // Errors nginx produces itself are JSON too.
  const Reply too_large = Http(lb, "POST", "/portal/recommend", std::string(70 * 1024, 'a'));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(too_large.content_type, "application/json");
  EXPECT_NE(too_large.body.find("\"payload_too_large\""), std::string::npos) << too_large.body;

  // Every node down: nginx answers 503 JSON with Retry-After.
  for (auto& node : nodes_) node->Kill();
  const Reply down = Http(lb, "GET", "/portal/status/" + ids[0]);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.content_type, "application/json");
  EXPECT_EQ(down.retry_after, "1");
}

}  // namespace
}  // namespace vitarec::testing

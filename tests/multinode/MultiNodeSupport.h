// Helpers of the tests that run several real `vitarec serve` processes on one shared store
// (MultiNodeTest.cc on PostgreSQL, DynamoMultiNodeTest.cc on DynamoDB): the node processes,
// one-shot HTTP requests, and the checks that every accepted job completed exactly once.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/HttpClient.h"

namespace vitarec::testing {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Forks and execs `args` with stdout and stderr appended to `log`; returns the child's PID.
inline pid_t Spawn(std::vector<std::string> args, const std::string& log) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// One `vitarec serve` process on 127.0.0.1 (port chosen by the kernel), logging to its file.
class Node {
 public:
  Node(const std::string& store_url, std::string log, const std::vector<std::string>& extra)
      : log_(std::move(log)) {
    std::vector<std::string> args = {VITAREC_BINARY,    "serve",          "--listen",
                                     "127.0.0.1:0",     "--store",        store_url,
                                     "--no-access-log", "--http-threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = Spawn(args, log_);
  }
  ~Node() { Kill(); }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Waits for the `listening ... port=N` and `ready` lines; false when not within `limit`.
  bool WaitReady(milliseconds limit = seconds(20)) {
    const std::regex listening("listening address=\\S+ port=(\\d+)");
    const auto give_up = Clock::now() + limit;
    while (Clock::now() < give_up && pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0) {
      const std::string all = Log();
      std::smatch m;
      if (std::regex_search(all, m, listening) && all.find("ready url=") != std::string::npos) {
        port_ = static_cast<unsigned short>(std::stoi(m[1]));
        return true;
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  bool alive() const { return pid_ > 0; }
  unsigned short port() const { return port_; }
  std::string Log() const { return ReadFile(log_); }
  const std::string& log_file() const { return log_; }

 private:
  std::string log_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

struct Reply {
  int status = 0;  // 0: no answer
  std::string body;
  std::string etag;
  std::string content_type;
  std::string retry_after;
  std::string location;
  std::string error;
  json::value Json() const {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    return ec ? json::value() : v;
  }
};

// One request on a fresh connection (so a POST is never sent twice by the client's own retry).
inline Reply Http(unsigned short port, const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  milliseconds timeout = seconds(15)) {
  Reply reply;
  auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port));
  if (!client) return reply;
  auto r = (*client)->Send(method, target, body, headers, timeout);
  if (!r) {
    reply.error = r.error().message;
    return reply;
  }
  reply.status = r->status;
  reply.body = std::move(r->body);
  reply.etag = r->Header("ETag");
  reply.content_type = r->Header("Content-Type");
  reply.retry_after = r->Header("Retry-After");
  reply.location = r->Header("Location");
  return reply;
}

inline std::string Field(const json::value& v, const char* name) {
  if (!v.is_object()) return "";
  const json::value* f = v.as_object().if_contains(name);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : "";
}

inline std::string RequestBody(int i) {
  static const char* kQueries[] = {"magnesio",  "vitamina d", "dormir mejor", "omega 3",
                                   "hierro",    "zinc",       "melatonina",   "creatina",
                                   "vitamin c", "ashwagandha"};
  return std::string(R"({"query":")") + kQueries[i % 10] + R"(","quiz_id":"multinode-)" +
         std::to_string(i) + R"(","category":"test","locale":")" + (i % 2 ? "en" : "es") + "\"}";
}

// Submits request `i` to `port`: the id on 202, else "" (and `status` tells why).
inline std::string Submit(unsigned short port, int i, int* status = nullptr) {
  const Reply r = Http(port, "POST", "/portal/recommend", RequestBody(i));
  if (status != nullptr) *status = r.status;
  return r.status == 202 ? Field(r.Json(), "recommendation_id") : "";
}

// How many times each id was logged as `job finished id=... outcome=<outcome>` in `logs`.
inline std::map<std::string, int> Finished(const std::vector<std::string>& logs,
                                           const std::string& outcome) {
  std::map<std::string, int> count;
  const std::regex line("job finished id=(\\S+) outcome=" + outcome + " ");
  for (const std::string& log : logs) {
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it)
      ++count[(*it)[1]];
  }
  return count;
}

// The jobs `node` logged as claimed (debug log level) and not as finished.
inline std::set<std::string> InHand(const Node& node) {
  static const std::regex claimed_line("job claimed id=(\\S+)");
  const std::string log = node.Log();
  std::set<std::string> claimed;
  for (std::sregex_iterator it(log.begin(), log.end(), claimed_line), end; it != end; ++it)
    claimed.insert((*it)[1]);
  for (const auto& [id, n] : Finished({log}, "\\w+")) claimed.erase(id);
  return claimed;
}

// Waits (at most 10 s) until `node` has a job in hand, SIGKILLs it, and returns the jobs it had
// in hand.
inline std::set<std::string> KillWithJobsInHand(Node& node) {
  const auto give_up = Clock::now() + seconds(10);
  while (InHand(node).empty() && Clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  node.Kill();
  return InHand(node);
}

// Polls `ids` over `nodes` until each reads completed (or `limit` passes). The first completed
// body seen of each id is kept in `completed`; every later read of a completed id must be
// byte-identical (a completed job never changes). Returns the ids not completed in time.
inline std::set<std::string> AwaitCompleted(const std::vector<std::string>& ids,
                                            const std::vector<Node*>& nodes,
                                            std::map<std::string, std::string>& completed,
                                            milliseconds limit) {
  std::set<std::string> pending(ids.begin(), ids.end());
  const auto give_up = Clock::now() + limit;
  std::size_t turn = 0;
  while (!pending.empty() && Clock::now() < give_up) {
    for (auto it = pending.begin(); it != pending.end();) {
      Node* node = nodes[turn++ % nodes.size()];
      const Reply r = Http(node->port(), "GET", "/portal/status/" + *it);
      const json::value v = r.Json();
      if (r.status == 200 && Field(v, "status") == "completed") {
        auto [seen, first] = completed.emplace(*it, r.body);
        EXPECT_EQ(seen->second, r.body) << "the completed body of " << *it << " changed";
        it = pending.erase(it);
        continue;
      }
      EXPECT_TRUE(r.status == 200 && Field(v, "status") == "processing")
          << "id " << *it << " on port " << node->port() << ": " << r.status << " " << r.body
          << r.error;
      ++it;
    }
    if (!pending.empty()) std::this_thread::sleep_for(milliseconds(100));
  }
  return pending;
}

// Every id, read on every node, answers exactly the body first seen completed.
inline void ExpectNodesAgree(const std::vector<Node*>& nodes,
                             const std::map<std::string, std::string>& completed) {
  for (const auto& [id, body] : completed) {
    for (Node* node : nodes) {
      const Reply r = Http(node->port(), "GET", "/portal/status/" + id);
      EXPECT_EQ(r.status, 200) << id << " on port " << node->port();
      EXPECT_EQ(r.body, body) << id << " differs on port " << node->port();
    }
  }
}

}  // namespace vitarec::testing

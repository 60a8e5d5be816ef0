// A throwaway local DynamoDB for tests: dynalite (tests/dynamodb, pinned by its
// package-lock.json; tests/dynamodb/install.sh installs it) on Node.js, in memory, on a free port
// of 127.0.0.1, tables created and deleted at once (no CREATING state). Stopped by its PID
// (SIGTERM, SIGKILL after 5 s) when the object goes.
//
// Shared(): one server per test process, started at the first call and stopped at exit; tests
// isolate themselves by table name (UniqueTableName).
//
// Errors throw std::runtime_error (test set-up only). Not thread-safe.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "FreePort.h"

namespace vitarec::testing {

class DynaliteServer {
 public:
  static std::unique_ptr<DynaliteServer> Start() {
    const std::filesystem::path cli =
        std::filesystem::path(VITAREC_SOURCE_DIR) / "tests/dynamodb/node_modules/dynalite/cli.js";
    if (!std::filesystem::exists(cli)) {
      throw std::runtime_error("dynalite is not installed: run tests/dynamodb/install.sh");
    }
    std::unique_ptr<DynaliteServer> server(new DynaliteServer());
    server->port_ = FreePort();
    const std::vector<std::string> argv = {"node",
                                           cli.string(),
                                           "--host",
                                           "127.0.0.1",
                                           "--port",
                                           std::to_string(server->port_),
                                           "--createTableMs",
                                           "0",
                                           "--deleteTableMs",
                                           "0",
                                           "--updateTableMs",
                                           "0"};
    server->pid_ = ::fork();
    if (server->pid_ < 0) throw std::runtime_error("fork failed");
    if (server->pid_ == 0) {
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp("node", args.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!server->Answers()) {
      int status = 0;
      if (::waitpid(server->pid_, &status, WNOHANG) == server->pid_ ||
          std::chrono::steady_clock::now() > deadline) {
        server->pid_ = -1;
        throw std::runtime_error("dynalite did not start");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return server;
  }

  static DynaliteServer& Shared() {
    static std::unique_ptr<DynaliteServer> shared = Start();
    return *shared;
  }

  // A table name no other test uses.
  static std::string UniqueTableName(const std::string& prefix = "t") {
    static std::mt19937_64 random{std::random_device{}()};
    return prefix + "-" + std::to_string(random());
  }

  DynaliteServer(const DynaliteServer&) = delete;
  DynaliteServer& operator=(const DynaliteServer&) = delete;
  ~DynaliteServer() { Stop(); }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) != pid_) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  DynaliteServer() = default;

  static int FreePort() { return FreeLoopbackPort(); }

  bool Answers() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  }

  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace vitarec::testing

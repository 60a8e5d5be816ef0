// A throwaway PostgreSQL server for tests: `initdb` into a fresh temporary directory, `postgres`
// on a free port of 127.0.0.1 only (its unix socket inside that directory), one database
// "vitarec_test" created, and at the end exactly that server stopped (by its PID, checked
// against its postmaster.pid) and the directory removed.
//
// PostgreSQL refuses to run as root: as root the directory is given to the `postgres` user (the
// Debian package creates it) and initdb and postgres run as that user (the child drops its
// privileges before exec, so the PID kept is the postmaster's own); otherwise they run as the
// current user. Binaries from VITAREC_PG_BIN or /usr/lib/postgresql/15/bin.
//
// Sharing: a CTest fixture (tests/store/PostgresTestServer.cc) starts one server for every test
// process and writes its address to a state file named by VITAREC_TEST_POSTGRES_STATE;
// PostgresServer::Shared() attaches to it, or starts a private server for a test binary run on
// its own. Tests isolate themselves by schema.
//
// Errors throw std::runtime_error (test set-up only). Not thread-safe.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "FreePort.h"

namespace vitarec::testing {

class PostgresServer {
 public:
  static constexpr const char* kDatabase = "vitarec_test";

  // Starts a new server; `detach` puts it in its own session (it outlives this process, for the
  // CTest fixture). Unless `durable`, fsync is off (fast; a crash of the machine would lose the
  // throwaway data, which tests never need); benchmarks ask for durable. Throws when it cannot.
  static std::unique_ptr<PostgresServer> Start(bool detach = false, bool durable = false) {
    std::unique_ptr<PostgresServer> server(new PostgresServer());
    server->durable_ = durable;
    server->Create();
    server->Launch(detach);
    server->Sql("postgres", std::string("CREATE DATABASE ") + kDatabase);
    return server;
  }

  // The server described by `state_file` (written by WriteState), which this object then owns:
  // destroying it stops that server.
  static std::unique_ptr<PostgresServer> Attach(const std::filesystem::path& state_file) {
    std::ifstream in(state_file);
    std::unique_ptr<PostgresServer> server(new PostgresServer());
    std::string dir;
    if (!(in >> server->pid_ >> server->port_ >> dir)) {
      throw std::runtime_error("unreadable PostgreSQL state file " + state_file.string());
    }
    server->dir_ = dir;
    return server;
  }

  // The fixture's server when VITAREC_TEST_POSTGRES_STATE names one, else a private server
  // started at the first call and stopped by StopShared() (or at exit).
  static PostgresServer& Shared() {
    static std::unique_ptr<PostgresServer> shared = [] {
      const char* state = std::getenv("VITAREC_TEST_POSTGRES_STATE");
      if (state != nullptr && std::filesystem::exists(std::filesystem::path(state) / "server")) {
        auto attached = Attach(std::filesystem::path(state) / "server");
        attached->owned_ = false;  // the fixture stops it
        return attached;
      }
      return Start();
    }();
    SharedSlot() = shared.get();
    return *shared;
  }
  static void StopShared() {
    if (SharedSlot() != nullptr && SharedSlot()->owned_) SharedSlot()->Stop();
  }

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer() {
    if (owned_) Stop();
  }

  // Writes pid, port and directory for Attach.
  void WriteState(const std::filesystem::path& state_file) const {
    std::ofstream(state_file) << pid_ << "\n" << port_ << "\n" << dir_.string() << "\n";
  }

  // A libpq URL of `database`; with `schema`, its search_path is that schema.
  std::string Url(const std::string& database = kDatabase, const std::string& schema = "") const {
    std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
    if (!schema.empty()) url += "?options=-csearch_path%3D" + schema;
    return url;
  }

  // Runs `sql` on `database` as the superuser. Throws on failure.
  void Sql(const std::string& database, const std::string& sql) const {
    PGconn* conn = PQconnectdb(Url(database).c_str());
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);  // e.g. DROP ... CASCADE
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PGresult* result = PQexec(conn, sql.c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK)
        error = PQresultErrorMessage(result);
      PQclear(result);
    }
    PQfinish(conn);
    if (!error.empty()) throw std::runtime_error(sql + ": " + error);
  }

  // Stops the server (fast shutdown: open sessions are disconnected) and keeps its files, so
  // that Restart can bring it back on the same port.
  void Halt() {
    if (pid_ <= 0) return;
    if (ReadPostmasterPid() == pid_) ::kill(pid_, SIGINT);
    WaitGone(std::chrono::seconds(30));
    pid_ = -1;
  }
  void Restart() { Launch(false); }

  // Halts the server and removes its directory. Idempotent.
  void Stop() {
    Halt();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }

  int port() const { return port_; }

 private:
  PostgresServer() = default;

  static PostgresServer*& SharedSlot() {
    static PostgresServer* slot = nullptr;
    return slot;
  }

  static std::string Bin(const std::string& name) {
    const char* dir = std::getenv("VITAREC_PG_BIN");
    return std::string(dir != nullptr ? dir : "/usr/lib/postgresql/15/bin") + "/" + name;
  }

  // Forks and execs `argv` (output to `log`), as the postgres user when this process is root.
  static pid_t Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
                     bool new_session) {
    const passwd* pw = ::geteuid() == 0 ? ::getpwnam("postgres") : nullptr;
    if (::geteuid() == 0 && pw == nullptr) {
      throw std::runtime_error("running as root needs a 'postgres' user (apt install postgresql)");
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid > 0) return pid;
    // Child: only async-signal-safe calls from here on.
    if (new_session) ::setsid();
    if (pw != nullptr) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(pw->pw_gid) != 0 || ::setuid(pw->pw_uid) != 0)
        ::_exit(126);
    }
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }

  static int FreePort() { return FreeLoopbackPort(); }

  void Create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitarec-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::filesystem::create_directory(dir_ / "socket");
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) throw std::runtime_error("no 'postgres' user");
      for (const auto& p : {dir_, dir_ / "socket"}) {
        if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown");
      }
    }
    const pid_t initdb = Spawn({Bin("initdb"), "-D", (dir_ / "data").string(), "-U", "postgres",
                                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"},
                               dir_ / "initdb.log", false);
    int status = 0;
    ::waitpid(initdb, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      throw std::runtime_error("initdb failed; see " + (dir_ / "initdb.log").string());
    }
  }

  // Starts postgres on a free port (or the current one, for Restart) and waits until it answers.
  void Launch(bool detach) {
    if (port_ == 0) port_ = FreePort();
    std::vector<std::string> argv = {Bin("postgres"),
                                     "-D",
                                     (dir_ / "data").string(),
                                     "-p",
                                     std::to_string(port_),
                                     "-k",
                                     (dir_ / "socket").string(),
                                     "-c",
                                     "listen_addresses=127.0.0.1",
                                     "-c",
                                     "max_connections=200"};
    if (!durable_) argv.insert(argv.end(), {"-c", "fsync=off", "-c", "full_page_writes=off"});
    pid_ = Spawn(argv, dir_ / "postgres.log", detach);
    const std::string ping = "host=127.0.0.1 port=" + std::to_string(port_) +
                             " user=postgres dbname=postgres connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (PQping(ping.c_str()) != PQPING_OK) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_ ||
          std::chrono::steady_clock::now() > deadline) {
        pid_ = -1;
        throw std::runtime_error("postgres did not start; see " + (dir_ / "postgres.log").string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  pid_t ReadPostmasterPid() const {
    std::ifstream in(dir_ / "data" / "postmaster.pid");
    pid_t pid = -1;
    in >> pid;
    return pid;
  }

  // Waits until the postmaster is gone: reaped when it is our child, else until its pid file is
  // removed; SIGKILL after `limit`.
  void WaitGone(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
      if (reaped == pid_) return;
      if (reaped < 0 && ReadPostmasterPid() != pid_) return;  // not our child; it has exited
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool owned_ = true;
  bool durable_ = false;
};

}  // namespace vitarec::testing

// The real `vitarec serve` binary as a child process for tests that crash it (SIGKILL), starve it
// (a full disk) or flood it: started on 127.0.0.1 port 0, its stderr/stdout in a log file, the
// bound port read from the `listening ... port=N` line. The destructor SIGKILLs and reaps it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vitarec::testing {

class ServerProcess {
 public:
  // Runs `binary serve --listen 127.0.0.1:0 --store sqlite:<db> --no-access-log <extra...>`,
  // appending its output to `log_file`.
  ServerProcess(const std::string& binary, const std::string& db, std::string log_file,
                const std::vector<std::string>& extra)
      : log_(std::move(log_file)) {
    std::vector<std::string> args = {binary,    "serve",        "--listen",       "127.0.0.1:0",
                                     "--store", "sqlite:" + db, "--no-access-log"};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string log = log_;
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 2);
      ::dup2(fd, 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // The port from the log once the server logged `ready`, or 0 when it did not within `limit`
  // (or exited).
  unsigned short WaitForPort(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const std::regex listening("listening address=\\S+ port=(\\d+)");
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < give_up && Alive()) {
      const std::string all = Log();
      std::smatch m;
      if (std::regex_search(all, m, listening) && all.find("ready url=") != std::string::npos)
        return static_cast<unsigned short>(std::stoi(m[1]));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

  // True while the process runs; once it exited, exit_status() tells how.
  bool Alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    Reaped(status);
    return false;
  }

  // Sends `sig` and waits for the exit; returns the exit code, or -signal.
  int Stop(int sig) {
    if (pid_ > 0) {
      ::kill(pid_, sig);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      Reaped(status);
    }
    return exit_status_;
  }

  // Exit code, or -signal, of a process that ended (meaningless while it runs).
  int exit_status() const { return exit_status_; }
  pid_t pid() const { return pid_; }
  const std::string& log_file() const { return log_; }

  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  void Reaped(int status) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    pid_ = -1;
  }

  std::string log_;
  pid_t pid_ = -1;
  int exit_status_ = 0;
};

}  // namespace vitarec::testing

// The stand-in model server (standin/server.mjs) as a child process of a test, and a plain
// blocking HTTP/1.1 exchange with it that hands the body to the caller as it arrives (chunked
// transfer coding decoded), so the stream parser is fed exactly what a socket delivers.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/RawHttp.h"

namespace vitarec::llm::testing {

class StandinServer {
 public:
  // Starts `node server.mjs <args...>`; port() is 0 when it did not come up.
  explicit StandinServer(const std::vector<std::string>& args = {});
  ~StandinServer();
  StandinServer(const StandinServer&) = delete;
  StandinServer& operator=(const StandinServer&) = delete;

  unsigned short port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;  // closing it makes the server exit
  unsigned short port_ = 0;
};

struct RawResponse {
  int status = 0;                              // 0 when no status line arrived in time
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // all of it, decoded
  bool ended = false;                          // the body's end was seen (last chunk)
  bool reset = false;                          // the connection was reset (ECONNRESET)
  bool timed_out = false;                      // `quiet` or `limit` passed
};

// POSTs `body` to /v1/chat/completions with `headers`, then reads until the body ends, the
// connection closes or is reset, nothing arrives for `quiet`, or `limit` passes in all.
// `on_body` gets each decoded piece of the body as it arrives.
RawResponse PostChat(unsigned short port, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::chrono::milliseconds quiet, std::chrono::milliseconds limit,
                     const std::function<void(std::string_view)>& on_body = {});

// GET `path`; the body of the answer.
std::string Get(unsigned short port, const std::string& path);

}  // namespace vitarec::llm::testing

#include "llm/StandinServer.h"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <sstream>

namespace vitarec::llm::testing {

StandinServer::StandinServer(const std::vector<std::string>& args) {
  int in[2], out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0) return;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[1]);
    ::close(out[0]);
    std::vector<std::string> argv_s = {VITAREC_NODE, VITAREC_STANDIN_SCRIPT};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  stdin_fd_ = in[1];
  std::string line;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < give_up) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  const std::size_t at = line.find("listening port=");
  if (at != std::string::npos) port_ = static_cast<unsigned short>(std::stoi(line.substr(at + 15)));
}

StandinServer::~StandinServer() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

namespace {

// Decodes the chunked transfer coding incrementally.
class Dechunker {
 public:
  // Appends the decoded bytes of `in` to `out`; returns false on a framing error.
  bool Feed(std::string_view in, std::string& out) {
    buffer_.append(in);
    for (;;) {
      if (remaining_ == 0) {
        const std::size_t eol = buffer_.find("\r\n");
        if (eol == std::string::npos) return true;
        if (after_data_) {  // the CRLF after a chunk's data
          buffer_.erase(0, eol + 2);
          after_data_ = false;
          continue;
        }
        const std::size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
        buffer_.erase(0, eol + 2);
        if (size == 0) {
          ended_ = true;
          return true;
        }
        remaining_ = size;
      }
      const std::size_t take = std::min(remaining_, buffer_.size());
      if (take == 0) return true;
      out.append(buffer_, 0, take);
      buffer_.erase(0, take);
      remaining_ -= take;
      if (remaining_ == 0) after_data_ = true;
    }
  }
  bool ended() const { return ended_; }

 private:
  std::string buffer_;
  std::size_t remaining_ = 0;
  bool after_data_ = false;
  bool ended_ = false;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

RawResponse PostChat(unsigned short port, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::chrono::milliseconds quiet, std::chrono::milliseconds limit,
                     const std::function<void(std::string_view)>& on_body) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  RawResponse r;
  const int fd = vitarec::testing::ConnectLocal(port);
  if (fd < 0) return r;
  std::string request = "POST /v1/chat/completions HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "Connection: close\r\n\r\n" + body;
  vitarec::testing::SendAll(fd, request);

  std::string head;
  bool in_body = false, chunked = false;
  std::size_t content_length = std::string::npos;
  Dechunker dechunker;
  auto deliver = [&](std::string_view raw) {
    std::string decoded;
    if (chunked) {
      dechunker.Feed(raw, decoded);
      r.ended = dechunker.ended();
    } else {
      decoded = std::string(raw);
    }
    r.body += decoded;
    if (!chunked && content_length != std::string::npos && r.body.size() >= content_length)
      r.ended = true;
    if (on_body && !decoded.empty()) on_body(decoded);
  };
  while (!r.ended) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        give_up - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(std::min(quiet, left).count())) <= 0) {
      r.timed_out = true;
      break;
    }
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == ECONNRESET) {
      r.reset = true;
      break;
    }
    if (n <= 0) break;
    std::string_view got(buf, static_cast<std::size_t>(n));
    if (in_body) {
      deliver(got);
      continue;
    }
    head.append(got);
    const std::size_t end = head.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    std::istringstream lines(head.substr(0, end));
    std::string line;
    std::getline(lines, line);
    r.status = std::stoi(line.substr(9, 3));
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[Lower(line.substr(0, colon))] = value;
    }
    chunked = Lower(r.headers["transfer-encoding"]) == "chunked";
    if (r.headers.contains("content-length"))
      content_length = std::stoul(r.headers["content-length"]);
    in_body = true;
    const std::string rest = head.substr(end + 4);
    if (!rest.empty()) deliver(rest);
    if (!chunked && content_length == 0) r.ended = true;
  }
  ::close(fd);
  return r;
}

std::string Get(unsigned short port, const std::string& path) {
  const std::string all = vitarec::testing::Exchange(
      port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::size_t end = all.find("\r\n\r\n");
  if (end == std::string::npos) return "";
  // Small bodies: Node sends them with Content-Length, so no chunked decoding is needed here.
  return all.substr(end + 4);
}

}  // namespace vitarec::llm::testing

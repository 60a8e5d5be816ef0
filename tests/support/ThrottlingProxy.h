// An HTTP/1.1 proxy on 127.0.0.1 between a DynamoDB client and dynalite that answers chosen
// requests the way DynamoDB does when it throttles (400 ThrottlingException) or fails (500),
// and forwards the others unchanged. Requests need Content-Length bodies (the DynamoDB API
// always has them). One thread per client connection; everything stops with the object.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vitarec::testing {

class ThrottlingProxy {
 public:
  enum class Mode { kForward, kThrottle, kServerError };

  explicit ThrottlingProxy(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = Loopback(0);
    socklen_t len = sizeof addr;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("proxy cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~ThrottlingProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    // Sessions take mu_ on their way out: join them with it released (holding it deadlocked a
    // session that was just leaving).
    std::vector<std::thread> sessions;
    {
      std::lock_guard lock(mu_);
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
      sessions.swap(sessions_);
    }
    for (auto& t : sessions) t.join();
  }

  // The next `count` requests get `mode`; later ones are forwarded.
  void Next(int count, Mode mode) {
    std::lock_guard lock(mu_);
    remaining_ = count;
    mode_ = mode;
  }
  // Every request from now on gets `mode` (kForward: all forwarded again).
  void Always(Mode mode) { Next(1 << 30, mode); }

  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int refused() const { return refused_.load(); }
  int forwarded() const { return forwarded_.load(); }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    return addr;
  }

  // One message (head + Content-Length body) from `fd` into `out`, using `buffer` for what was
  // read beyond it; false at end of stream.
  static bool ReadMessage(int fd, std::string& buffer, std::string& out) {
    char chunk[8192];
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    std::size_t length = 0;
    std::string head = buffer.substr(0, head_end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto at = head.find("content-length:"); at != std::string::npos) {
      length = std::stoul(head.substr(at + 15));
    }
    const std::size_t total = head_end + 4 + length;
    while (buffer.size() < total) {
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    out = buffer.substr(0, total);
    buffer.erase(0, total);
    return true;
  }

  static void WriteAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  Mode Decide() {
    std::lock_guard lock(mu_);
    if (remaining_ <= 0) return Mode::kForward;
    --remaining_;
    return mode_;
  }

  void Accept() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0 || stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      std::lock_guard lock(mu_);
      open_.push_back(fd);
      sessions_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int client) {
    int upstream = -1;
    std::string from_client, from_upstream, message, response;
    while (ReadMessage(client, from_client, message)) {
      const Mode mode = Decide();
      if (mode != Mode::kForward) {
        ++refused_;
        const std::string body =
            mode == Mode::kThrottle
                ? R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."})"
                : R"({"__type":"com.amazon.coral.service#InternalFailure","message":"injected"})";
        WriteAll(client,
                 std::string(mode == Mode::kThrottle ? "HTTP/1.1 400 Bad Request"
                                                     : "HTTP/1.1 500 Internal Server Error") +
                     "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);
        continue;
      }
      if (upstream < 0) {
        upstream = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr = Loopback(upstream_port_);
        if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) break;
      }
      WriteAll(upstream, message);
      if (!ReadMessage(upstream, from_upstream, response)) break;
      ++forwarded_;
      WriteAll(client, response);
    }
    if (upstream >= 0) ::close(upstream);
    std::lock_guard lock(mu_);
    std::erase(open_, client);
    ::close(client);
  }

  const int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> refused_{0}, forwarded_{0};
  std::mutex mu_;
  int remaining_ = 0;                  // guarded by mu_
  Mode mode_ = Mode::kForward;         // guarded by mu_
  std::vector<int> open_;              // guarded by mu_
  std::vector<std::thread> sessions_;  // guarded by mu_
  std::thread acceptor_;
};

}  // namespace vitarec::testing

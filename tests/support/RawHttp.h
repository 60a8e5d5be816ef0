// Plain-socket helpers for tests that must send what no well-behaved client sends (partial
// requests, huge headers, garbage) and see exactly what comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace vitarec::testing {

// A connected TCP socket to 127.0.0.1:port, or -1.
inline int ConnectLocal(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads until the peer closes or `timeout` passes; returns what arrived.
inline std::string ReadUntilClosed(int fd, std::chrono::milliseconds timeout,
                                   bool* closed = nullptr) {
  std::string out;
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  if (closed) *closed = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        give_up - std::chrono::steady_clock::now());
    if (left.count() <= 0) return out;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed) *closed = true;
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// Sends `request` on a new connection and returns everything the server sent until it closed.
inline std::string Exchange(unsigned short port, const std::string& request,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const int fd = ConnectLocal(port);
  if (fd < 0) return {};
  SendAll(fd, request);
  std::string out = ReadUntilClosed(fd, timeout);
  ::close(fd);
  return out;
}

}  // namespace vitarec::testing

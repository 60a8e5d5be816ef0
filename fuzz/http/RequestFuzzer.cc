// libFuzzer target for HTTP request handling: the whole service (Beast server, router, API JSON,
// job layer, SQLite store, workers) runs in-process on 127.0.0.1 port 0 once; every input is
// written as raw bytes to a new connection, half-closed, and the answer read until the server
// closes (or 3 s pass). The fuzzer fails when the process crashes (ASan/UBSan abort it), or when
// the server stops answering GET /healthz after an input.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "app/Logging.h"
#include "app/Service.h"
#include "support/RawHttp.h"

namespace {

using Clock = std::chrono::steady_clock;

// Sends `data` (as much as the server takes), half-closes, and reads until the server closes
// or `limit` passes. Returns what arrived.
std::string Exchange(unsigned short port, std::string_view data, std::chrono::milliseconds limit) {
  const int fd = vitarec::testing::ConnectLocal(port);
  if (fd < 0) return {};
  const auto give_up = Clock::now() + limit;
  std::size_t sent = 0;
  std::string answer;
  bool write_open = true;
  while (Clock::now() < give_up) {
    pollfd p{fd, static_cast<short>(POLLIN | (write_open ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 50) < 0) break;
    if (p.revents & POLLIN) {
      char buf[8192];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      answer.append(buf, static_cast<std::size_t>(n));
    } else if (p.revents & (POLLHUP | POLLERR)) {
      break;
    }
    if (write_open && (p.revents & POLLOUT)) {
      const ssize_t n = sent < data.size() ? ::send(fd, data.data() + sent, data.size() - sent,
                                                    MSG_NOSIGNAL | MSG_DONTWAIT)
                                           : 0;
      if (n > 0) sent += static_cast<std::size_t>(n);
      if (n < 0 || sent >= data.size()) {
        ::shutdown(fd, SHUT_WR);  // the end of the request: the server sees EOF after it
        write_open = false;
      }
    }
  }
  ::close(fd);
  return answer;
}

struct Harness {
  std::filesystem::path dir;
  std::unique_ptr<vitarec::app::Service> service;
  unsigned short port = 0;

  Harness() {
    dir = std::filesystem::temp_directory_path() /
          ("vitarec-http-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    vitarec::app::SetUpLogging(std::getenv("VITAREC_FUZZ_LOG") ? "info" : "critical");
    vitarec::app::ServiceOptions options;
    options.listen = "127.0.0.1:0";
    options.store = "sqlite:" + (dir / "vitarec.db").string();
    options.workers = 2;
    options.http_threads = 1;
    options.poll_ms = 50;
    options.read_timeout_s = 2;
    options.sqlite_sync = "normal";  // durability is not what is fuzzed; fsyncs would slow it
    options.access_log = false;
    service = std::make_unique<vitarec::app::Service>(options);
    auto started = service->Start();
    if (!started) {
      std::fprintf(stderr, "the service did not start: %s\n", started.error().message.c_str());
      std::abort();
    }
    port = service->port();
  }
  // Never destroyed: libFuzzer exits the process; the directory goes with the temp dir.
};

Harness& TheHarness() {
  static Harness* harness = new Harness();
  return *harness;
}

bool Healthy(unsigned short port) {
  for (int i = 0; i < 3; ++i) {
    const std::string answer =
        Exchange(port, "GET /healthz HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n",
                 std::chrono::seconds(5));
    if (answer.starts_with("HTTP/1.1 200")) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness& h = TheHarness();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string answer = Exchange(h.port, input, std::chrono::milliseconds(3000));
  // Whatever the server says must be HTTP (or nothing, when it just closes).
  if (!answer.empty() && !answer.starts_with("HTTP/1.")) {
    std::fprintf(stderr, "not an HTTP answer: %.200s\n", answer.c_str());
    std::abort();
  }
  if (!Healthy(h.port)) {
    std::fprintf(stderr, "the server stopped answering /healthz after this input\n");
    std::abort();
  }
  return 0;
}

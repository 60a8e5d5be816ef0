// net::HttpClient against a small loopback server whose behaviour each test chooses.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "net/HttpClient.h"

namespace vitarec::net {
namespace {

using core::ErrorCode;
using std::chrono::milliseconds;

// Accepts connections on 127.0.0.1 and runs `serve(fd)` for each on its own thread.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<void(int)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0 || stopping_) {
          if (fd >= 0) ::close(fd);
          return;
        }
        ++accepted_;
        std::lock_guard lock(mu_);
        sessions_.emplace_back([this, fd] {
          serve_(fd);
          ::close(fd);
        });
      }
    });
  }
  ~LoopbackServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    std::lock_guard lock(mu_);
    for (auto& s : sessions_) s.join();
  }
  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_.load(); }

  // Reads one request head (the tests send no bodies); false at end of stream.
  static bool ReadRequest(int fd) {
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (::read(fd, &c, 1) != 1) return false;
      head += c;
    }
    return true;
  }
  static void Reply(int fd, const std::string& body) {
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)!::write(fd, response.data(), response.size());
  }

 private:
  std::function<void(int)> serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> sessions_;
};

std::unique_ptr<HttpClient> ClientOf(const std::string& origin, int max_connections = 4,
                                     milliseconds timeout = milliseconds(5000)) {
  HttpClientOptions options;
  options.origin = origin;
  options.max_connections = max_connections;
  options.request_timeout = timeout;
  auto client = HttpClient::Create(options);
  if (!client) throw std::runtime_error(client.error().message);
  return std::move(*client);
}

TEST(HttpClientTest, SequentialRequestsShareOneKeepAliveConnection) {
  LoopbackServer server([](int fd) {
    while (LoopbackServer::ReadRequest(fd)) LoopbackServer::Reply(fd, "pong");
  });
  auto client = ClientOf(server.Origin());

  for (int i = 0; i < 5; ++i) {
    auto response = client->SendAndWait(HttpRequest{});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "pong");
  }
  EXPECT_EQ(client->connections_opened(), 1);
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClientTest, ConcurrentRequestsOpenAtMostMaxConnections) {
  LoopbackServer server([](int fd) {
    while (LoopbackServer::ReadRequest(fd)) {
      std::this_thread::sleep_for(milliseconds(5));  // keeps the connections busy
      LoopbackServer::Reply(fd, "ok");
    }
  });
  auto client = ClientOf(server.Origin(), 2);
  std::atomic<int> succeeded{0};
  std::latch done(20);

  for (int i = 0; i < 20; ++i) {
    client->Send(HttpRequest{}, [&](core::Result<HttpResponse> r) {
      if (r && r->body == "ok") ++succeeded;
      done.count_down();
    });
  }
  done.wait();

  EXPECT_EQ(succeeded.load(), 20);
  EXPECT_LE(client->connections_opened(), 2);
}

TEST(HttpClientTest, ARequestToAServerThatClosedTheIdleConnectionIsSentAgain) {
  LoopbackServer server([](int fd) {  // answers one request per connection, then closes
    if (LoopbackServer::ReadRequest(fd)) LoopbackServer::Reply(fd, "once");
  });
  auto client = ClientOf(server.Origin());

  ASSERT_TRUE(client->SendAndWait(HttpRequest{}));
  std::this_thread::sleep_for(milliseconds(20));  // the server's close reaches the client
  auto second = client->SendAndWait(HttpRequest{});

  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->body, "once");
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientTest, AServerThatNeverAnswersFailsWithDeadlineExceeded) {
  std::atomic<bool> release{false};
  LoopbackServer server([&](int fd) {
    LoopbackServer::ReadRequest(fd);
    while (!release) std::this_thread::sleep_for(milliseconds(5));
  });
  auto client = ClientOf(server.Origin(), 1, milliseconds(150));

  auto response = client->SendAndWait(HttpRequest{});
  release = true;

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kDeadlineExceeded);
}

TEST(HttpClientTest, NothingListeningIsUnavailable) {
  std::string origin;
  {
    LoopbackServer closed([](int) {});
    origin = closed.Origin();
  }
  auto client = ClientOf(origin);

  auto response = client->SendAndWait(HttpRequest{});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

TEST(HttpClientTest, AStreamedBodyArrivesPieceByPieceAndTheConnectionIsKept) {
  LoopbackServer server([](int fd) {
    while (LoopbackServer::ReadRequest(fd)) {
      const std::string head =
          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
          "chunked\r\n\r\n";
      (void)!::write(fd, head.data(), head.size());
      for (const char* event : {"data: uno\n\n", "data: dos\n\n", "data: tres\n\n"}) {
        const std::string text = event;
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", text.size());
        const std::string chunk = size + text + "\r\n";
        (void)!::write(fd, chunk.data(), chunk.size());
        std::this_thread::sleep_for(milliseconds(20));  // arrives as separate pieces
      }
      (void)!::write(fd, "0\r\n\r\n", 5);
    }
  });
  auto client = ClientOf(server.Origin());
  for (int round = 0; round < 2; ++round) {
    std::vector<std::string> pieces;
    HttpRequest request;
    request.on_body = [&](std::string_view piece) {
      pieces.emplace_back(piece);
      return true;
    };

    auto response = client->SendAndWait(std::move(request));

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->Header("content-type"), "text/event-stream");
    EXPECT_TRUE(response->body.empty());
    std::string all;
    for (const std::string& p : pieces) all += p;
    EXPECT_EQ(all, "data: uno\n\ndata: dos\n\ndata: tres\n\n");
    EXPECT_GE(pieces.size(), 2u) << "the body came in one piece, not as it arrived";
  }
  EXPECT_EQ(client->connections_opened(), 1);
}

TEST(HttpClientTest, AStreamStopsWhenItsHandlerSaysSo) {
  std::atomic<bool> release{false};
  LoopbackServer server([&](int fd) {
    if (!LoopbackServer::ReadRequest(fd)) return;
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n";
    (void)!::write(fd, head.data(), head.size());
    while (!release) std::this_thread::sleep_for(milliseconds(5));  // never finishes
  });
  auto client = ClientOf(server.Origin());
  HttpRequest request;
  std::string seen;
  request.on_body = [&](std::string_view piece) {
    seen += piece;
    return false;
  };

  auto response = client->SendAndWait(std::move(request));
  release = true;

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(seen, "first");
}

TEST(HttpClientTest, TlsToAServerWithoutAValidCertificateIsRefused) {
  LoopbackServer server([](int fd) {  // not TLS at all: the handshake cannot succeed
    char buffer[512];
    (void)!::read(fd, buffer, sizeof buffer);
    const std::string junk = "HTTP/1.1 400 Bad Request\r\n\r\n";
    (void)!::write(fd, junk.data(), junk.size());
  });
  std::string origin = server.Origin();
  origin.replace(0, 4, "https");
  auto client = ClientOf(origin);

  auto response = client->SendAndWait(HttpRequest{});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

TEST(HttpClientTest, MalformedOriginsAreRefused) {
  for (const char* origin : {"", "127.0.0.1:80", "ftp://host", "http://host/path", "http://"}) {
    HttpClientOptions options;
    options.origin = origin;
    auto client = HttpClient::Create(options);
    ASSERT_FALSE(client) << origin;
    EXPECT_EQ(client.error().code, ErrorCode::kInvalidArgument) << origin;
  }
}

}  // namespace
}  // namespace vitarec::net

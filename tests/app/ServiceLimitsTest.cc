// Limits of the HTTP server, seen from raw sockets: what a misbehaving client gets, and that
// well-behaved clients are still served meanwhile.
#include <gtest/gtest.h>

#include "support/RawHttp.h"
#include "support/ServiceFixture.h"

namespace vitarec::testing {
namespace {

using std::chrono::milliseconds;

std::string StatusLine(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

class ServiceLimitsTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override {
    o.read_timeout_s = 1;
    o.max_connections = 50;
  }
};

TEST_F(ServiceLimitsTest, ABodyOver64KiBIsRefusedWith413) {
  const std::string body = R"({"query":")" + std::string(70 * 1024, 'a') + R"("})";
  const std::string response =
      Exchange(port_,
               "POST /portal/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 413 Payload Too Large");
  EXPECT_NE(response.find("payload_too_large"), std::string::npos);
}

TEST_F(ServiceLimitsTest, AHugeHeaderIsRefusedWith431) {
  const std::string response = Exchange(
      port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST_F(ServiceLimitsTest, AnOverlongTargetIsRefusedWith414) {
  const std::string response = Exchange(
      port_, "GET /portal/status/" + std::string(5000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 414 URI Too Long");
}

TEST_F(ServiceLimitsTest, GarbageGets400AndTheServerStaysUp) {
  for (const std::string& garbage :
       std::vector<std::string>{"HELLO\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                                "POST /portal/recommend HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                                std::string("\x00\x01\x02\r\n\r\n", 7)}) {
    const std::string response = Exchange(port_, garbage);
    EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 400") << garbage;
  }
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
}

TEST_F(ServiceLimitsTest, ASlowClientIsCutOffWhileOthersAreServed) {
  const int slow = ConnectLocal(port_);
  ASSERT_GE(slow, 0);
  ASSERT_TRUE(SendAll(slow, "POST /portal/recommend HTTP/1.1\r\nHost: x\r\n"));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Send("GET", "/healthz").status, 200);
    SendAll(slow, "X-Drip: 1\r\n");  // trickling bytes does not extend the deadline
    std::this_thread::sleep_for(milliseconds(200));
  }
  bool closed = false;
  ReadUntilClosed(slow, milliseconds(4000), &closed);
  ::close(slow);
  EXPECT_TRUE(closed) << "the slow connection was never closed";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST_F(ServiceLimitsTest, ConnectionsBeyondTheCapGet503) {
  std::vector<int> held;
  for (int i = 0; i < 50; ++i) {
    const int fd = ConnectLocal(port_);
    ASSERT_GE(fd, 0);
    held.push_back(fd);
  }
  std::this_thread::sleep_for(milliseconds(100));  // let the server accept them
  const std::string response = Exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(response.find("Retry-After"), std::string::npos);
  for (int fd : held) ::close(fd);
}

TEST_F(ServiceLimitsTest, ExpectContinueIsHonoured) {
  const std::string body = R"({"query":"magnesio"})";
  const int fd = ConnectLocal(port_);
  ASSERT_TRUE(
      SendAll(fd,
              "POST /portal/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Expect: 100-continue\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n"));
  const std::string interim = ReadUntilClosed(fd, milliseconds(500));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  SendAll(fd, body);
  const std::string response = ReadUntilClosed(fd, milliseconds(1000));
  ::close(fd);
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 202 Accepted");
}

}  // namespace
}  // namespace vitarec::testing

// `vitarec serve --backend URL`: the front-end tier serves the pages itself and relays the API,
// answering 502/504 JSON when the backend is down or slow.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "support/ServiceFixture.h"

namespace vitarec::testing {
namespace {

// The backend is the fixture's service; the front tier is started per test.
class FrontEndTierTest : public ServiceFixture {
 protected:
  std::unique_ptr<app::Service> StartFront(const std::string& backend_url) {
    app::ServiceOptions options;
    options.listen = "127.0.0.1:0";
    options.backend = backend_url;
    options.http_threads = 1;
    options.access_log = false;
    auto front = std::make_unique<app::Service>(options);
    auto started = front->Start();
    EXPECT_TRUE(started) << started.error().message;
    return front;
  }

  static cli::HttpResult Call(unsigned short port, const std::string& method,
                              const std::string& target, const std::string& body = "") {
    auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port));
    auto r = (*client)->Send(method, target, body, {}, std::chrono::seconds(20));
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : cli::HttpResult{};
  }
};

TEST_F(FrontEndTierTest, RelaysTheApiAndServesThePagesItself) {
  auto front = StartFront("http://127.0.0.1:" + std::to_string(port_));
  const unsigned short fport = front->port();
  const cli::HttpResult accepted =
      Call(fport, "POST", "/api/portal/quiz", R"({"query":"magnesio"})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string id(Json(accepted).at("recommendation_id").as_string());
  EXPECT_EQ(accepted.Header("Location"), "/api/portal/status/" + id);

  const cli::HttpResult status = Call(fport, "GET", "/api/portal/status/" + id + "?wait=5");
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(Json(status).at("recommendation_id"), json::value(id));
  EXPECT_FALSE(status.Header("ETag").empty());

  const cli::HttpResult invalid =
      Call(fport, "POST", "/api/portal/quiz", R"({"answers":{"age":"x"}})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(Json(invalid).at("error").at("field"), "answers.age");

  const cli::HttpResult page = Call(fport, "GET", "/portal");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.Header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(Call(fport, "GET", "/api/portal/events/" + id).status, 404)
      << "event streams are not relayed; the page polls";
  EXPECT_EQ(Call(fport, "GET", "/readyz").status, 200);
}

TEST_F(FrontEndTierTest, ABackendThatIsDownGives502) {
  // A port that was free a moment ago: nothing listens there.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(probe);
  auto front = StartFront("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  const cli::HttpResult r = Call(front->port(), "POST", "/api/portal/quiz", R"({"query":"zinc"})");
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(Json(r).at("error").at("code"), "bad_gateway");
}

TEST_F(FrontEndTierTest, ABackendThatDoesNotAnswerGives504After5Seconds) {
  // Listens (the kernel completes connections) but never reads or answers.
  const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(silent, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &len);
  auto front = StartFront("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  const auto started = std::chrono::steady_clock::now();
  const cli::HttpResult r =
      Call(front->port(), "GET", "/api/portal/status/3f2b8c1e-0000-4abc-8def-0123456789ab");
  const auto took = std::chrono::steady_clock::now() - started;
  ::close(silent);
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(Json(r).at("error").at("code"), "gateway_timeout");
  EXPECT_GE(took, std::chrono::milliseconds(4900));
  EXPECT_LT(took, std::chrono::seconds(8));
}

}  // namespace
}  // namespace vitarec::testing

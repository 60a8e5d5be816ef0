// Starts the whole service in-process on 127.0.0.1 port 0 with a fresh SQLite file, and gives
// tests an HTTP client to it.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "app/Service.h"
#include "cli/HttpClient.h"
#include "support/TempDir.h"

namespace vitarec::testing {

namespace json = boost::json;

class ServiceFixture : public ::testing::Test {
 protected:
  // Override to change options before the service starts.
  virtual void Configure(app::ServiceOptions&) {}

  void SetUp() override {
    app::ServiceOptions options;
    options.listen = "127.0.0.1:0";
    options.store = "sqlite:" + dir_.File("vitarec.db");
    options.max_inflight = 4;
    options.poll_ms = 50;
    options.http_threads = 2;
    options.access_log = false;
    Configure(options);
    service_ = std::make_unique<app::Service>(options);
    auto started = service_->Start();
    ASSERT_TRUE(started) << started.error().message;
    port_ = service_->port();
    auto client = cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port_));
    ASSERT_TRUE(client);
    client_ = std::move(*client);
  }

  void TearDown() override {
    if (service_) service_->Stop();
  }

  cli::HttpResult Send(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto r = client_->Send(method, target, body, headers, std::chrono::seconds(40));
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : cli::HttpResult{};
  }

  cli::HttpResult Post(const std::string& body,
                       std::vector<std::pair<std::string, std::string>> headers = {},
                       const std::string& target = "/portal/recommend") {
    return Send("POST", target, body, std::move(headers));
  }

  static json::value Json(const cli::HttpResult& r) {
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << r.body;
    return v;
  }

  // Polls the status until it is no longer "processing" (or 20 s pass).
  json::value WaitFinal(const std::string& id) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      const cli::HttpResult r = Send("GET", "/portal/status/" + id);
      json::value v = Json(r);
      if (!v.is_object() || v.at("status") != "processing" ||
          std::chrono::steady_clock::now() > give_up)
        return v;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  TempDir dir_;
  std::unique_ptr<app::Service> service_;
  std::unique_ptr<cli::HttpClient> client_;
  unsigned short port_ = 0;
};

}  // namespace vitarec::testing

#include "cli/HttpClient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace vitarec::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::string HttpResult::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

struct HttpClient::Impl {
  std::string host;
  std::string port;
  std::string path_prefix;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::string base_url, std::unique_ptr<Impl> impl)
    : base_url_(std::move(base_url)), impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

core::Result<std::unique_ptr<HttpClient>> HttpClient::Create(const std::string& base_url) {
  auto url = boost::urls::parse_uri(base_url);
  if (!url || url->scheme() != "http" || url->host().empty()) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "--server must look like http://HOST:PORT, got \"" + base_url + "\"",
                      "--server");
  }
  auto impl = std::make_unique<Impl>();
  impl->host = std::string(url->host());
  if (impl->host.size() > 2 && impl->host.front() == '[')
    impl->host = impl->host.substr(1, impl->host.size() - 2);
  impl->port = url->has_port() ? std::string(url->port()) : "80";
  impl->path_prefix = std::string(url->encoded_path());
  while (!impl->path_prefix.empty() && impl->path_prefix.back() == '/')
    impl->path_prefix.pop_back();
  return std::unique_ptr<HttpClient>(new HttpClient(base_url, std::move(impl)));
}

core::Result<HttpResult> HttpClient::Send(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(s.path_prefix + target);
  request.version(11);
  request.set(bhttp::field::host, s.host + ":" + s.port);
  request.set(bhttp::field::user_agent, "vitarec-cli");
  if (!body.empty() || method == "POST") {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
  }
  for (const auto& [k, v] : headers) request.set(k, v);  // may replace the Content-Type
  request.prepare_payload();

  // Two tries: a kept-alive connection the server closed in the meantime fails the first one.
  std::string last_error;
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    bool fresh = false;
    if (!s.stream) {
      fresh = true;
      s.stream.emplace(s.ioc);
      tcp::resolver resolver(s.ioc);
      auto endpoints = resolver.resolve(s.host, s.port, ec);
      if (!ec) {
        s.stream->expires_after(timeout);
        s.stream->async_connect(endpoints, [&ec](beast::error_code e, auto) { ec = e; });
        s.ioc.restart();
        s.ioc.run();
      }
      if (ec) {
        s.stream.reset();
        return core::Fail(core::ErrorCode::kUnavailable,
                          "cannot reach the server at " + base_url_ + ": " + ec.message());
      }
      s.buffer.clear();
    }
    bhttp::response<bhttp::string_body> response;
    s.stream->expires_after(timeout);
    bhttp::async_write(*s.stream, request, [&](beast::error_code e, std::size_t) {
      ec = e;
      if (ec) return;
      bhttp::async_read(*s.stream, s.buffer, response,
                        [&ec](beast::error_code e2, std::size_t) { ec = e2; });
    });
    s.ioc.restart();
    s.ioc.run();
    if (!ec) {
      HttpResult result;
      result.status = static_cast<int>(response.result_int());
      result.body = std::move(response.body());
      for (const auto& field : response)
        result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      if (!response.keep_alive()) s.stream.reset();
      return result;
    }
    s.stream.reset();
    last_error = ec == beast::error::timeout
                     ? "no answer within " + std::to_string(timeout.count() / 1000) + " s"
                     : ec.message();
    // Only a request that changes nothing may be sent again: a POST on a reused connection may
    // have reached the server before the connection broke.
    if (fresh || ec == beast::error::timeout || method == "POST") break;
  }
  return core::Fail(core::ErrorCode::kUnavailable,
                    "request to " + base_url_ + " failed: " + last_error);
}

}  // namespace vitarec::cli

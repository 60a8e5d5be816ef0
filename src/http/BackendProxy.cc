#include "http/BackendProxy.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>

#include "http/ApiJson.h"

namespace vitarec::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

// Request headers the API understands; everything else stays at the front.
constexpr std::string_view kForwardedRequestHeaders[] = {
    "Content-Type", "Idempotency-Key", "Prefer", "If-None-Match", "Authorization", "Accept"};
// Response headers of the API worth passing back.
constexpr std::string_view kForwardedResponseHeaders[] = {"Location",
                                                          "Retry-After",
                                                          "ETag",
                                                          "Cache-Control",
                                                          "Preference-Applied",
                                                          "Allow",
                                                          "Idempotent-Replayed",
                                                          "WWW-Authenticate"};

}  // namespace

core::Result<std::unique_ptr<BackendProxy>> BackendProxy::Create(BackendProxyOptions options) {
  auto url = boost::urls::parse_uri(options.url);
  if (!url || url->scheme() != "http" || url->host().empty()) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "--backend must look like http://HOST:PORT, got \"" + options.url + "\"",
                      "--backend");
  }
  std::string host(url->host());
  std::string port = url->has_port() ? std::string(url->port()) : "80";
  return std::unique_ptr<BackendProxy>(
      new BackendProxy(std::move(options), std::move(host), std::move(port)));
}

BackendProxy::BackendProxy(BackendProxyOptions options, std::string host, std::string port)
    : options_(std::move(options)), host_(std::move(host)), port_(std::move(port)) {}

// Note: g++ 12 miscompiles co_await in loop conditions and same-named locals in sibling scopes
// of a coroutine; every co_await here is a plain statement with a unique result name.
asio::awaitable<HttpResponse> BackendProxy::Forward(HttpRequest request,
                                                    std::chrono::seconds extra_wait) {
  auto executor = co_await asio::this_coro::executor;
  auto socket = std::make_shared<tcp::socket>(executor);
  auto timed_out = std::make_shared<bool>(false);
  // One deadline for the whole exchange: when it passes, closing the socket fails the pending
  // operation.
  auto deadline = std::make_shared<asio::steady_timer>(executor, options_.timeout + extra_wait);
  deadline->async_wait([socket, timed_out](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the exchange finished in time
    *timed_out = true;
    boost::system::error_code ignored;
    socket->close(ignored);
  });
  const auto fail = [&](const boost::system::error_code& ec) {
    deadline->cancel();
    if (*timed_out) {
      return ErrorResponse(504, "gateway_timeout",
                           "the backend at " + options_.url + " did not answer within " +
                               std::to_string((options_.timeout + extra_wait).count()) + " s");
    }
    return ErrorResponse(502, "bad_gateway",
                         "the backend at " + options_.url + " failed: " + ec.message());
  };

  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(host_, port_, asio::as_tuple(asio::use_awaitable));
  if (resolve_ec) co_return fail(resolve_ec);
  auto [connect_ec, connected] =
      co_await asio::async_connect(*socket, endpoints, asio::as_tuple(asio::use_awaitable));
  if (connect_ec) co_return fail(connect_ec);

  std::string out = request.method + " " + request.target + " HTTP/1.1\r\nHost: " + host_ + ":" +
                    port_ + "\r\nConnection: close\r\nX-Forwarded-For: " + request.remote +
                    "\r\nContent-Length: " + std::to_string(request.body.size()) + "\r\n";
  for (std::string_view name : kForwardedRequestHeaders) {
    const std::string_view value = request.Header(name);
    if (value.empty()) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  out += request.body;
  auto [write_ec, written] =
      co_await asio::async_write(*socket, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
  if (write_ec) co_return fail(write_ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(8 * 1024 * 1024);
  auto [read_ec, read_n] =
      co_await bhttp::async_read(*socket, buffer, parser, asio::as_tuple(asio::use_awaitable));
  if (read_ec) co_return fail(read_ec);
  deadline->cancel();

  auto answer = parser.release();
  HttpResponse relayed;
  relayed.status = static_cast<int>(answer.result_int());
  relayed.content_type = std::string(answer[bhttp::field::content_type]);
  relayed.body = std::move(answer.body());
  for (std::string_view name : kForwardedResponseHeaders) {
    auto it = answer.find(name);
    if (it != answer.end()) relayed.AddHeader(std::string(name), std::string(it->value()));
  }
  co_return relayed;
}

}  // namespace vitarec::http

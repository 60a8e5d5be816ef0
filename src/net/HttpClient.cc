#include "net/HttpClient.h"

#include <strings.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "core/Thread.h"

namespace vitarec::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

constexpr auto kAwait = asio::as_tuple(use_awaitable);

// One keep-alive connection, plain or TLS. Lives on the client's thread only.
struct Connection {
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  Clock::time_point idle_since{};

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

core::Error Unavailable(std::string_view what, const boost::system::error_code& ec) {
  return core::MakeError(ErrorCode::kUnavailable, std::string(what) + ": " + ec.message());
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0)
      return value;
  }
  return {};
}

class HttpClient::Impl {
 public:
  Impl(HttpClientOptions options, bool tls, std::string host, std::string port)
      : options_(std::move(options)),
        use_tls_(tls),
        host_(std::move(host)),
        port_(std::move(port)),
        host_header_(port_ == (use_tls_ ? "443" : "80") ? host_ : host_ + ":" + port_) {
    slot_freed_.expires_at(asio::steady_timer::time_point::max());
  }

  core::Result<void> SetUpTls() {
    if (!use_tls_) return {};
    boost::system::error_code ec;
    tls_context_.set_verify_mode(ssl::verify_peer, ec);
    if (!ec) {
      if (options_.ca_file.empty()) {
        tls_context_.set_default_verify_paths(ec);
      } else {
        tls_context_.load_verify_file(options_.ca_file, ec);
      }
    }
    if (ec) return core::Fail(Unavailable("cannot load the trusted certificates", ec));
    return {};
  }

  void Start() {
    thread_ = std::thread([this] {
      core::NameThisThread("net-client");
      io_.run();
    });
  }

  ~Impl() {
    {
      std::unique_lock lock(mu_);
      idle_cv_.wait(lock, [&] { return in_flight_ == 0; });
    }
    asio::post(io_, [this] {
      for (auto& connection : idle_) {
        boost::system::error_code ignored;
        connection->lowest().socket().close(ignored);
      }
      idle_.clear();
    });
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }

  void Send(HttpRequest request, ResponseCallback done) {
    {
      std::lock_guard lock(mu_);
      ++in_flight_;
    }
    asio::co_spawn(
        io_, Run(std::move(request)),
        [this, done = std::move(done)](std::exception_ptr e, core::Result<HttpResponse> result) {
          if (e) result = core::Fail(ErrorCode::kInternal, "HTTP client failure");
          try {
            done(std::move(result));
          } catch (...) {
            // The caller's exception must not end the client's thread.
          }
          std::lock_guard lock(mu_);
          if (--in_flight_ == 0) idle_cv_.notify_all();
        });
  }

  const std::string& host_header() const { return host_header_; }
  std::int64_t connections_opened() const { return opened_.load(); }

 private:
  struct Acquired {
    std::unique_ptr<Connection> connection;
    bool reused = false;
  };

  awaitable<core::Result<HttpResponse>> Run(HttpRequest request) {
    http::request<http::string_body> message;
    message.method_string(request.method);
    message.target(request.target);
    message.version(11);
    for (auto& [name, value] : request.headers) message.insert(name, value);
    message.set(http::field::host, host_header_);
    message.keep_alive(true);
    message.body() = std::move(request.body);
    message.prepare_payload();
    const BodyChunkHandler on_body = std::move(request.on_body);

    for (int pass = 0;; ++pass) {
      auto acquired = co_await Acquire();
      if (!acquired) co_return core::Fail(std::move(acquired.error()));
      bool answered = false;
      bool keep = false;
      auto result = co_await Exchange(*acquired->connection, message, on_body, answered, keep);
      Release(keep ? std::move(acquired->connection) : nullptr);
      if (!result && acquired->reused && !answered && pass == 0) continue;  // stale keep-alive
      co_return result;
    }
  }

  awaitable<core::Result<Acquired>> Acquire() {
    for (;;) {
      while (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        if (Clock::now() - connection->idle_since < options_.idle_timeout &&
            connection->lowest().socket().is_open()) {
          co_return Acquired{std::move(connection), true};
        }
        --open_;
      }
      if (open_ < options_.max_connections) {
        ++open_;
        auto connection = co_await Connect();
        if (!connection) {
          Release(nullptr);
          co_return core::Fail(std::move(connection.error()));
        }
        co_return Acquired{std::move(*connection), false};
      }
      co_await slot_freed_.async_wait(kAwait);  // woken by Release (cancel_one)
    }
  }

  // Hands a connection back (null: it was closed) and wakes one waiting request.
  void Release(std::unique_ptr<Connection> connection) {
    if (connection) {
      connection->idle_since = Clock::now();
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
    slot_freed_.cancel_one();
  }

  awaitable<core::Result<std::unique_ptr<Connection>>> Connect() {
    auto connection = std::make_unique<Connection>();
    if (use_tls_) {
      connection->tls.emplace(io_, tls_context_);
    } else {
      connection->plain.emplace(io_);
    }
    beast::tcp_stream& stream = connection->lowest();
    tcp::resolver resolver(io_);
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(host_, port_, kAwait);
    if (resolve_error) co_return core::Fail(Unavailable("cannot resolve " + host_, resolve_error));
    stream.expires_after(options_.connect_timeout);
    auto [connect_error, endpoint] = co_await stream.async_connect(endpoints, kAwait);
    if (connect_error == beast::error::timeout) {
      co_return core::Fail(ErrorCode::kUnavailable, "connecting to " + host_header_ + " timed out");
    }
    if (connect_error) {
      co_return core::Fail(Unavailable("cannot connect to " + host_header_, connect_error));
    }
    boost::system::error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);
    ++opened_;
    if (use_tls_) {
      if (!::SSL_set_tlsext_host_name(connection->tls->native_handle(), host_.c_str())) {
        co_return core::Fail(ErrorCode::kUnavailable, "cannot set the TLS server name");
      }
      connection->tls->set_verify_callback(ssl::host_name_verification(host_));
      auto [handshake_error] =
          co_await connection->tls->async_handshake(ssl::stream_base::client, kAwait);
      if (handshake_error) {
        co_return core::Fail(
            Unavailable("TLS handshake with " + host_ + " failed", handshake_error));
      }
    }
    co_return connection;
  }

  awaitable<core::Result<HttpResponse>> Exchange(Connection& connection,
                                                 http::request<http::string_body>& message,
                                                 const BodyChunkHandler& on_body, bool& answered,
                                                 bool& keep) {
    if (connection.tls) {
      co_return co_await ExchangeOn(*connection.tls, connection, message, on_body, answered, keep);
    }
    co_return co_await ExchangeOn(*connection.plain, connection, message, on_body, answered, keep);
  }

  template <typename Stream>
  awaitable<core::Result<HttpResponse>> ExchangeOn(Stream& stream, Connection& connection,
                                                   http::request<http::string_body>& message,
                                                   const BodyChunkHandler& on_body, bool& answered,
                                                   bool& keep) {
    connection.lowest().expires_after(options_.request_timeout);
    auto [write_error, written] = co_await http::async_write(stream, message, kAwait);
    if (write_error == beast::error::timeout) co_return TimedOut();
    if (write_error) co_return core::Fail(Unavailable("cannot send the request", write_error));
    if (on_body) co_return co_await StreamResponse(stream, connection, on_body, answered, keep);
    http::response_parser<http::string_body> parser;
    parser.body_limit(options_.max_body);
    auto [read_error, read] = co_await http::async_read(stream, connection.buffer, parser, kAwait);
    answered = read > 0;
    if (read_error == beast::error::timeout) co_return TimedOut();
    if (read_error) co_return core::Fail(Unavailable("cannot read the response", read_error));
    keep = parser.get().keep_alive();
    connection.lowest().expires_never();
    HttpResponse out = Head(parser.get());
    out.body = std::move(parser.get().body());
    co_return out;
  }

  // The head, then the body piece by piece into `on_body` (buffer_body, as Beast's relay example).
  template <typename Stream>
  awaitable<core::Result<HttpResponse>> StreamResponse(Stream& stream, Connection& connection,
                                                       const BodyChunkHandler& on_body,
                                                       bool& answered, bool& keep) {
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // a stream ends when the server ends it
    auto [head_error, read] =
        co_await http::async_read_header(stream, connection.buffer, parser, kAwait);
    answered = read > 0;
    if (head_error == beast::error::timeout) co_return TimedOut();
    if (head_error) co_return core::Fail(Unavailable("cannot read the response", head_error));
    HttpResponse out = Head(parser.get());
    std::array<char, 16384> chunk;
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      connection.lowest().expires_after(options_.request_timeout);
      auto [error, n] = co_await http::async_read_some(stream, connection.buffer, parser, kAwait);
      if (error == http::error::need_buffer) error = {};
      if (error == beast::error::timeout) co_return TimedOut();
      if (error) co_return core::Fail(Unavailable("cannot read the response body", error));
      const std::size_t got = chunk.size() - parser.get().body().size;
      if (got > 0 && !on_body(std::string_view(chunk.data(), got))) {
        keep = false;  // the rest is unread: the connection cannot be reused
        co_return out;
      }
    }
    keep = parser.get().keep_alive();
    connection.lowest().expires_never();
    co_return out;
  }

  template <typename Message>
  static HttpResponse Head(const Message& response) {
    HttpResponse out;
    out.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return out;
  }

  core::Result<HttpResponse> TimedOut() const {
    return core::Fail(ErrorCode::kDeadlineExceeded,
                      "no response from " + host_header_ + " within " +
                          std::to_string(options_.request_timeout.count()) + " ms");
  }

  // Immutable after construction.
  const HttpClientOptions options_;
  const bool use_tls_;
  const std::string host_;
  const std::string port_;
  const std::string host_header_;

  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      asio::make_work_guard(io_)};
  ssl::context tls_context_{ssl::context::tls_client};
  std::thread thread_;

  // The client's thread only.
  std::deque<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // open or opening connections, idle ones included
  asio::steady_timer slot_freed_{io_};

  std::atomic<std::int64_t> opened_{0};

  std::mutex mu_;
  std::condition_variable idle_cv_;
  int in_flight_ = 0;  // guarded by mu_
};

core::Result<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  auto url = boost::urls::parse_absolute_uri(options.origin);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty() ||
      (!url->encoded_path().empty() && url->encoded_path() != "/") || url->has_query()) {
    return core::Fail(ErrorCode::kInvalidArgument,
                      "the origin must look like http://host:port or https://host", "origin");
  }
  if (options.max_connections < 1) {
    return core::Fail(ErrorCode::kInvalidArgument, "max_connections must be at least 1",
                      "max_connections");
  }
  const bool tls = url->scheme() == "https";
  std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  auto impl =
      std::make_unique<Impl>(std::move(options), tls, std::string(url->host()), std::move(port));
  if (auto set_up = impl->SetUpTls(); !set_up) return core::Fail(std::move(set_up.error()));
  impl->Start();
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

void HttpClient::Send(HttpRequest request, ResponseCallback done) {
  impl_->Send(std::move(request), std::move(done));
}

core::Result<HttpResponse> HttpClient::SendAndWait(HttpRequest request) {
  std::promise<core::Result<HttpResponse>> promise;
  auto future = promise.get_future();
  Send(std::move(request),
       [&promise](core::Result<HttpResponse> r) { promise.set_value(std::move(r)); });
  return future.get();
}

const std::string& HttpClient::host_header() const { return impl_->host_header(); }
std::int64_t HttpClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace vitarec::net

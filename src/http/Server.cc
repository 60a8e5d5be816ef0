#include "http/Server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <list>
#include <thread>
#include <vector>

#include "core/Thread.h"
#include "http/ApiJson.h"
#include "http/HttpMetrics.h"

namespace vitarec::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
constexpr auto kNoDeadline = SteadyClock::time_point::max();

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("http") ? spdlog::get("http") : spdlog::default_logger();
  return logger;
}

// One open connection; lives in its session coroutine's frame and in its thread's list.
struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  SteadyClock::time_point deadline = kNoDeadline;
  bool idle = true;  // waiting for the next request (safe to close on Stop)
};

// Everything one I/O thread owns. Touched only by that thread, except where noted.
struct Worker {
  Worker() : ioc(1), acceptor(ioc), sweeper(ioc) {}
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::steady_timer sweeper;
  std::list<Connection*> connections;
  std::string date;  // the Date header value, refreshed every second
  bool stopping = false;
  std::thread thread;
};

std::string HttpDate() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

void Serialize(const HttpResponse& response, bool head, bool keep_alive_10, bool close,
               const std::string& date, std::string& out) {
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += ReasonPhrase(response.status);
  out += "\r\nServer: vitarec\r\nDate: ";
  out += date;
  out += "\r\nX-Content-Type-Options: nosniff\r\n";
  if (!response.content_type.empty()) {
    out += "Content-Type: ";
    out += response.content_type;
    out += "\r\n";
  }
  if (response.status != 304 && response.status != 204 && !response.stream) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (close) {
    out += "Connection: close\r\n";
  } else if (keep_alive_10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (!head && response.status != 304 && response.status != 204) out += response.body;
}

}  // namespace

struct Server::Impl {
  Impl(Router& r, ServerOptions o) : router(r), options(std::move(o)) {}

  asio::awaitable<void> Accept(Worker& worker);
  asio::awaitable<void> Session(Worker& worker, tcp::socket socket);
  asio::awaitable<void> Refuse(tcp::socket socket, std::string response);
  asio::awaitable<void> Sweep(Worker& worker);
  HttpResponse ReadError(const beast::error_code& ec) const;

  Router& router;
  const ServerOptions options;
  std::vector<std::unique_ptr<Worker>> workers;
  unsigned short bound_port = 0;
  std::atomic<int> open{0};
  std::atomic<bool> stopped{false};
  HttpMetrics metrics;
  bool started = false;
};

Server::Server(Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() { Stop(); }

unsigned short Server::port() const { return impl_->bound_port; }
int Server::open_connections() const { return impl_->open.load(); }

void Server::RenderMetrics(std::string& out) const {
  impl_->metrics.Render(out, impl_->open.load());
}

core::Result<void> Server::Start() {
  Impl& s = *impl_;
  int threads = s.options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(s.options.address, ec);
  if (ec) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "invalid listen address \"" + s.options.address + "\": " + ec.message());
  }
  unsigned short port = s.options.port;
  if (port != 0) {
    // SO_REUSEPORT would let this process share a port that another server already listens
    // on; a plain bind first turns that into a clear error.
    asio::io_context probe_context;
    tcp::acceptor probe(probe_context);
    const tcp::endpoint endpoint(address, port);
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (ec) {
      return core::Fail(core::ErrorCode::kUnavailable, "cannot listen on " + s.options.address +
                                                           ":" + std::to_string(port) + ": " +
                                                           ec.message());
    }
  }
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>();
    tcp::endpoint endpoint(address, port);
    worker->acceptor.open(endpoint.protocol(), ec);
    if (!ec) worker->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
      worker->acceptor.set_option(ReusePort(true), ec);
    }
    if (!ec) worker->acceptor.bind(endpoint, ec);
    if (!ec) worker->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::Fail(core::ErrorCode::kUnavailable, "cannot listen on " + s.options.address +
                                                           ":" + std::to_string(port) + ": " +
                                                           ec.message());
    }
    port = worker->acceptor.local_endpoint().port();  // later acceptors share the chosen port
    worker->date = HttpDate();
    s.workers.push_back(std::move(worker));
  }
  s.bound_port = port;
  for (auto& w : s.workers) {
    Worker& worker = *w;
    asio::co_spawn(worker.ioc, s.Accept(worker), asio::detached);
    asio::co_spawn(worker.ioc, s.Sweep(worker), asio::detached);
    worker.thread = std::thread([&worker] {
      core::NameThisThread("http-io");
      for (;;) {
        try {
          worker.ioc.run();
          return;
        } catch (const std::exception& e) {
          Log()->error("io thread exception what=\"{}\"", e.what());
        }
      }
    });
  }
  s.started = true;
  Log()->info("listening address={} port={} threads={}", s.options.address, port, threads);
  return {};
}

asio::awaitable<void> Server::Impl::Accept(Worker& worker) {
  for (;;) {
    auto [ec, socket] = co_await worker.acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !worker.acceptor.is_open()) co_return;
      Log()->warn("accept failed error=\"{}\"", ec.message());
      // Out of file descriptors and the like: pause instead of spinning.
      asio::steady_timer pause(worker.ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (open.load() >= options.max_connections) {
      HttpResponse busy = ErrorResponse(503, "too_many_connections",
                                        "the server has too many open connections; retry later");
      std::string out;
      Serialize(busy, false, false, true, worker.date, out);
      asio::co_spawn(worker.ioc, Refuse(std::move(socket), std::move(out)), asio::detached);
      continue;
    }
    asio::co_spawn(worker.ioc, Session(worker, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::Refuse(tcp::socket socket, std::string response) {
  co_await asio::async_write(socket, asio::buffer(response), asio::as_tuple(asio::use_awaitable));
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

asio::awaitable<void> Server::Impl::Sweep(Worker& worker) {
  while (!worker.stopping || !worker.connections.empty()) {
    worker.sweeper.expires_after(std::chrono::seconds(1));
    co_await worker.sweeper.async_wait(asio::as_tuple(asio::use_awaitable));
    worker.date = HttpDate();
    const auto now = SteadyClock::now();
    for (Connection* c : worker.connections) {
      if (c->deadline <= now || (worker.stopping && c->idle)) {
        boost::system::error_code ec;
        c->socket.close(ec);  // the pending read or write fails with operation_aborted
      }
    }
    if (worker.stopping && worker.connections.empty()) co_return;
  }
}

HttpResponse Server::Impl::ReadError(const beast::error_code& ec) const {
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse(
        413, "payload_too_large",
        "the body is larger than " + std::to_string(options.max_body_bytes) + " bytes");
  }
  if (ec == bhttp::error::header_limit) {
    return ErrorResponse(
        431, "header_too_large",
        "the request header is larger than " + std::to_string(options.max_header_bytes) + " bytes");
  }
  return ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message());
}

asio::awaitable<void> Server::Impl::Session(Worker& worker, tcp::socket socket) {
  Connection conn(std::move(socket));
  worker.connections.push_front(&conn);
  const auto self = worker.connections.begin();
  open.fetch_add(1);
  boost::system::error_code remote_ec;
  const std::string remote = conn.socket.remote_endpoint(remote_ec).address().to_string();
  beast::flat_buffer buffer;
  std::string out;
  try {
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      conn.idle = true;
      conn.deadline = SteadyClock::now() + options.read_timeout;
      if (worker.stopping) break;
      auto [ec, n] = co_await bhttp::async_read_header(conn.socket, buffer, parser,
                                                       asio::as_tuple(asio::use_awaitable));
      conn.idle = false;
      bool head = false;
      bool close = false;
      HttpResponse response;
      const auto started = SteadyClock::now();
      std::string method, target;
      unsigned version = 11;
      if (!ec) {
        auto& header = parser.get();
        if (EqualsIgnoreCase(header[bhttp::field::expect], "100-continue") && !parser.is_done()) {
          static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(conn.socket, asio::buffer(kContinue),
                                     asio::as_tuple(asio::use_awaitable));
        }
        if (!parser.is_done()) {
          auto [body_ec, body_n] = co_await bhttp::async_read(conn.socket, buffer, parser,
                                                              asio::as_tuple(asio::use_awaitable));
          ec = body_ec;
        }
      }
      if (ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof ||
            !conn.socket.is_open() || (buffer.size() == 0 && ec == bhttp::error::partial_message)) {
          break;  // the peer left, or the deadline closed the socket
        }
        response = ReadError(ec);
        close = true;
      } else {
        version = parser.get().version();
        auto message = parser.release();
        method = std::string(message.method_string());
        target = std::string(message.target());
        head = message.method() == bhttp::verb::head;
        close = !message.keep_alive() || worker.stopping;
        if (target.size() > options.max_target_bytes) {
          response = ErrorResponse(414, "uri_too_long",
                                   "the request target is longer than " +
                                       std::to_string(options.max_target_bytes) + " bytes");
        } else {
          HttpRequest request;
          request.remote = remote;
          request.method = method;
          request.target = target;
          request.body = std::move(message.body());
          request.headers.reserve(8);
          for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
          conn.deadline = kNoDeadline;
          response = co_await router.Handle(std::move(request));
        }
        close = close || response.close || worker.stopping;
      }
      // HTTP/1.0 keep-alive must be confirmed explicitly.
      if (response.stream) close = true;
      const bool keep_alive_10 = !ec && !close && version == 10;
      Serialize(response, head, keep_alive_10, close, worker.date, out);
      conn.deadline = SteadyClock::now() + options.write_timeout;
      auto [write_ec, written] = co_await asio::async_write(conn.socket, asio::buffer(out),
                                                            asio::as_tuple(asio::use_awaitable));
      if (response.stream && !write_ec && !head) {
        // A stream ends the connection: its body is delimited by the close.
        std::string chunk;
        for (;;) {
          conn.deadline = kNoDeadline;
          const bool more = co_await response.stream->Next(chunk);
          if (!more || worker.stopping) break;
          conn.deadline = SteadyClock::now() + options.write_timeout;
          auto [chunk_ec, chunk_n] = co_await asio::async_write(
              conn.socket, asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
          if (chunk_ec) break;
        }
        close = true;
      }
      const auto elapsed = SteadyClock::now() - started;
      const std::string_view path = std::string_view(target).substr(0, target.find('?'));
      metrics.Record(ClassifyRoute(path), response.status, elapsed);
      if (options.access_log) {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
        Log()->info("request method={} path={} status={} ms={:.3f} remote={}", method, path,
                    response.status, us / 1000.0, remote);
      }
      if (write_ec || close) break;
    }
  } catch (const std::exception& e) {
    Log()->error("session failed what=\"{}\"", e.what());
  }
  boost::system::error_code ignored;
  conn.socket.shutdown(tcp::socket::shutdown_send, ignored);
  conn.socket.close(ignored);
  worker.connections.erase(self);
  open.fetch_sub(1);
}

void Server::Stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped.exchange(true)) return;
  for (auto& w : s.workers) {
    Worker* worker = w.get();
    asio::post(worker->ioc, [worker] {
      worker->stopping = true;
      boost::system::error_code ec;
      worker->acceptor.close(ec);
      for (Connection* c : worker->connections)
        if (c->idle) c->socket.close(ec);
    });
  }
  const auto give_up = SteadyClock::now() + s.options.drain_timeout;
  while (s.open.load() > 0 && SteadyClock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (auto& w : s.workers) w->ioc.stop();
  for (auto& w : s.workers)
    if (w->thread.joinable()) w->thread.join();
  Log()->info("stopped open_connections={}", s.open.load());
}

}  // namespace vitarec::http

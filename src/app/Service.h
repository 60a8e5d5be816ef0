// The composition root: builds the store, the engine, the job layer, the workers and the HTTP
// server from ServiceOptions, wires them together, and takes them down in order. Used by
// `vitarec serve`/`vitarec worker` and by the integration tests (port 0, a temp store).
#pragma once

#include <memory>

#include "app/ServiceOptions.h"
#include "core/Error.h"

namespace vitarec::app {

class Service {
 public:
  explicit Service(ServiceOptions options);
  ~Service();  // Stop()

  // Opens the store (running migrations), loads the knowledge base, starts the workers and,
  // unless options.http is false, the HTTP server. Errors say what could not be started.
  core::Result<void> Start();

  // The HTTP port actually bound (after Start; useful with port 0).
  unsigned short port() const;

  // Graceful: stop accepting HTTP, let requests in progress finish, give running jobs
  // shutdown_grace to finish and hand the rest back, close the store. Idempotent.
  void Stop();

 public:
  struct Parts;  // the components, in dependency order (Service.cc)

 private:
  core::Result<void> StartFrontEnd();  // options_.backend set: pages + relay only
  core::Result<void> StartServer();
  ServiceOptions options_;
  std::unique_ptr<Parts> parts_;
};

// Splits "host:port" / "[v6]:port". kInvalidArgument when malformed.
core::Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen);

}  // namespace vitarec::app

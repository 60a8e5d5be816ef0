// The CTest fixture around the PostgreSQL tests: `start STATE_DIR` starts a throwaway server
// (tests/support/PostgresServer.h) that outlives this process and records it in
// STATE_DIR/server; `stop STATE_DIR` stops exactly that server and removes its files.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "tests/support/PostgresServer.h"

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    std::fprintf(stderr, "usage: %s start|stop STATE_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path state_file = std::filesystem::path(argv[2]) / "server";
  try {
    if (std::string(argv[1]) == "start") {
      std::filesystem::create_directories(state_file.parent_path());
      auto server = vitarec::testing::PostgresServer::Start(/*detach=*/true);
      server->WriteState(state_file);
      std::printf("PostgreSQL test server on 127.0.0.1:%d\n", server->port());
      // Keeps running for the tests (`stop` ends it): held by a global so that it is neither
      // stopped by a destructor nor reported as a leak.
      static vitarec::testing::PostgresServer* const kRunning = server.release();
      (void)kRunning;
      return 0;
    }
    if (!std::filesystem::exists(state_file)) return 0;  // never started
    vitarec::testing::PostgresServer::Attach(state_file)->Stop();
    std::filesystem::remove(state_file);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_test_server %s: %s\n", argv[1], e.what());
    return 1;
  }
}

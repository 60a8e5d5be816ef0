#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/Id.h"

namespace vitarec::core {
namespace {

TEST(IdTest, NewIdsAreCanonicalVersion4Uuids) {
  const std::string id = NewId();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_EQ(ParseId(id), id);
}

TEST(IdTest, NewIdsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(seen.insert(NewId()).second);
}

TEST(IdTest, ThreadsDrawFromTheirOwnRandomBytes) {
  std::mutex mu;
  std::set<std::string> seen;
  bool repeated = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> ids;
      for (int i = 0; i < 2000; ++i) ids.push_back(NewId());  // several 4 KiB refills each
      std::lock_guard lock(mu);
      for (auto& id : ids) repeated = !seen.insert(std::move(id)).second || repeated;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(repeated);
  EXPECT_EQ(seen.size(), 8000u);
}

TEST(IdTest, AForkedChildDoesNotRepeatItsParentsNextIds) {
  NewId();  // the parent's thread now holds buffered random bytes
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = NewId();
    const bool sent = write(pipe_fds[1], id.data(), id.size()) == static_cast<ssize_t>(id.size());
    _exit(sent ? 0 : 1);
  }
  close(pipe_fds[1]);
  const std::string parent_id = NewId();
  char buffer[36] = {};
  const ssize_t got = read(pipe_fds[0], buffer, sizeof buffer);
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(got, 36);
  EXPECT_NE(std::string(buffer, 36), parent_id);
}

TEST(IdTest, ParseAcceptsUpperCaseAndCanonicalises) {
  EXPECT_EQ(ParseId("3F2B8C1E-0000-4ABC-8DEF-0123456789AB"),
            "3f2b8c1e-0000-4abc-8def-0123456789ab");
}

TEST(IdTest, ParseRejectsMalformedText) {
  for (const char* bad :
       {"", "abc", "3f2b8c1e00004abc8def0123456789ab", "{3f2b8c1e-0000-4abc-8def-0123456789ab}",
        "3f2b8c1e-0000-4abc-8def-0123456789ag", "3f2b8c1e-0000-4abc-8def-0123456789ab ",
        "../../etc/passwd"}) {
    EXPECT_EQ(ParseId(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace vitarec::core

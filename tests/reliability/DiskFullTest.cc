// A real full disk under the real binary: the SQLite file lives on a small tmpfs that the test
// fills with a filler file while clients keep submitting. Submits must answer 202 (and then
// complete) or 503 `unavailable` with Retry-After — never crash, never hang, never lose a 202.
// Deleting the filler must bring the service back without a restart.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "cli/HttpClient.h"
#include "support/ServerProcess.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// A tmpfs of `size` mounted for one test and detached when it ends.
class SmallDisk {
 public:
  SmallDisk(std::filesystem::path at, const char* size) : path_(std::move(at)) {
    std::filesystem::create_directories(path_);
    const std::string options = std::string("size=") + size;
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }

  // Writes `file` until the file system has no space left; returns the bytes written.
  long Fill(const std::filesystem::path& file) const {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return 0;
    const std::string chunk(4096, 'f');
    long total = 0;
    for (int i = 0; i < 1 << 20; ++i) {
      const ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n <= 0) break;
      total += n;
    }
    ::close(fd);
    return total;
  }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string error_;
};

// A request of a few KiB, so that a handful of them need pages the full disk does not have.
std::string BigRequest(int i) {
  std::string meds;
  for (int m = 0; m < 20; ++m) {
    if (m) meds += ",";
    meds += "\"medication-" + std::to_string(i) + "-" + std::to_string(m) + "-" +
            std::string(70, 'x') + "\"";
  }
  std::string query = "magnesio";
  while (query.size() < 480) query += " magnesio";
  return R"({"query":")" + query + R"(","quiz_id":"disk-)" + std::to_string(i) +
         R"(","answers":{"age":40,"medications":[)" + meds + "]}}";
}

struct Tally {
  std::map<int, int> by_status;  // HTTP status -> count; 0: no answer
  std::vector<std::string> acked;
  std::vector<std::string> problems;
};

// One submit: a 202 is recorded; a 503 must be `unavailable` JSON with Retry-After.
void SubmitOnce(cli::HttpClient& client, int i, Tally& tally) {
  auto r = client.Send("POST", "/portal/recommend", BigRequest(i), {}, seconds(15));
  if (!r) {
    ++tally.by_status[0];
    tally.problems.push_back("submit " + std::to_string(i) +
                             " got no answer: " + r.error().message);
    return;
  }
  ++tally.by_status[r->status];
  boost::system::error_code ec;
  const json::value v = json::parse(r->body, ec);
  if (r->status == 202 && !ec && v.is_object()) {
    tally.acked.emplace_back(v.at("recommendation_id").as_string());
  } else if (r->status == 503) {
    if (ec || !v.is_object() || !v.as_object().contains("error") ||
        v.at("error").at("code") != "unavailable")
      tally.problems.push_back("503 without an `unavailable` JSON error: " + r->body);
    if (r->Header("Retry-After").empty()) tally.problems.push_back("503 without Retry-After");
  } else {
    tally.problems.push_back("submit answered " + std::to_string(r->status) + ": " + r->body);
  }
}

TEST(DiskFullTest, SubmitsAnswer503WhileTheDiskIsFullAndEverythingAcceptedCompletesAfterwards) {
  TempDir dir;
  SmallDisk disk(dir.path() / "small", "4M");
  if (!disk.mounted())
    GTEST_SKIP() << "mounting a tmpfs was refused (needs root or CAP_SYS_ADMIN): " << disk.error();
  const std::string db = (disk.path() / "vitarec.db").string();
  const auto filler = disk.path() / "filler";

  ServerProcess server(VITAREC_BINARY, db, dir.File("server.log"),
                       {"--workers", "2", "--lease-ms", "2000", "--poll-ms", "50",
                        "--stage-delay-ms", "20", "--http-threads", "1"});
  const unsigned short port = server.WaitForPort();
  ASSERT_NE(port, 0) << server.Log();
  auto client = std::move(*cli::HttpClient::Create("http://127.0.0.1:" + std::to_string(port)));

  Tally before, during, after;
  for (int i = 0; i < 10; ++i) SubmitOnce(*client, i, before);
  ASSERT_EQ(before.acked.size(), 10u) << "submits before the fault should all be accepted";

  const long filled = disk.Fill(filler);
  ASSERT_GT(filled, 0);
  std::set<int> readyz_during;
  const auto fault_started = Clock::now();
  for (int i = 100; i < 400 && Clock::now() - fault_started < seconds(40); ++i) {
    SubmitOnce(*client, i, during);
    if (i % 10 == 0) {
      auto ready = client->Send("GET", "/readyz", "", {}, seconds(10));
      readyz_during.insert(ready ? ready->status : 0);
    }
    ASSERT_TRUE(server.Alive()) << "the server died on a full disk:\n" << server.Log();
    // Held for a few seconds, so that workers' progress and final writes fail too.
    if (during.by_status[503] >= 20 && Clock::now() - fault_started > seconds(3)) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_GE(during.by_status[503], 1) << "the full disk never refused a submit";

  // Free the space: the service must recover by itself.
  std::filesystem::remove(filler);
  const auto freed = Clock::now();
  double recovered_after_s = -1;
  for (int i = 1000; i < 1200 && Clock::now() - freed < seconds(30); ++i) {
    const std::size_t had = after.acked.size();
    SubmitOnce(*client, i, after);
    if (after.acked.size() > had) {
      if (recovered_after_s < 0)
        recovered_after_s = std::chrono::duration<double>(Clock::now() - freed).count();
      if (after.acked.size() >= 5) break;
    } else {
      std::this_thread::sleep_for(milliseconds(200));
    }
  }
  ASSERT_GE(after.acked.size(), 5u) << "submits still refused 30 s after the disk was freed";

  // Everything acknowledged — before, during and after the fault — completes.
  std::vector<std::string> all = before.acked;
  all.insert(all.end(), during.acked.begin(), during.acked.end());
  all.insert(all.end(), after.acked.begin(), after.acked.end());
  std::set<std::string> pending(all.begin(), all.end());
  std::map<std::string, std::string> last;
  const auto give_up = Clock::now() + seconds(60);
  for (int round = 0; !pending.empty() && Clock::now() < give_up && round < 1000; ++round) {
    for (auto it = pending.begin(); it != pending.end();) {
      auto r = client->Send("GET", "/portal/status/" + *it, "", {}, seconds(10));
      if (r) last[*it] = std::to_string(r->status) + " " + r->body;
      if (r && r->status == 200 && json::parse(r->body).at("status") == "completed") {
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    if (!pending.empty()) std::this_thread::sleep_for(milliseconds(200));
  }
  for (const auto& id : pending)
    ADD_FAILURE() << id << " acknowledged but not completed: " << last[id];
  for (const auto* t : {&before, &during, &after})
    for (const auto& p : t->problems) ADD_FAILURE() << p;
  EXPECT_TRUE(server.Alive());
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Log();

  std::string readyz;
  for (int s : readyz_during) readyz += std::to_string(s) + " ";
  std::printf(
      "disk-full: filler_bytes=%ld during_fault: 202=%d 503=%d other_problems=%zu readyz=[%s] "
      "recovered_after_s=%.2f acked_total=%zu completed=%zu\n",
      filled, during.by_status[202], during.by_status[503], during.problems.size(), readyz.c_str(),
      recovered_after_s, all.size(), all.size() - pending.size());
}

}  // namespace
}  // namespace vitarec::testing

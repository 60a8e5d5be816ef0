// What only the SQLite store has: store URLs, the file format, and storage faults.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "store/OpenStore.h"
#include "store/sqlite/SqliteError.h"
#include "store/sqlite/SqliteMigrations.h"
#include "tests/store/RawSqlite.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/TempDir.h"

using vitarec::testing::TempDir;

namespace vitarec::store {
namespace {

using core::ErrorCode;
using core::Millis;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr core::TimePoint kT0 = StoreContractTest::kT0;

std::unique_ptr<Store> OpenAt(const std::filesystem::path& path, StoreOptions options = {}) {
  return Must(OpenStore("sqlite:" + path.string(), options));
}

core::Result<InsertOutcome> InsertInto(Store& store, NewJob job) {
  return Wait<InsertOutcome>([&](auto done) { store.Insert(std::move(job), std::move(done)); });
}

core::Result<Job> GetFrom(Store& store, const std::string& id) {
  return Wait<Job>([&](auto done) { store.Get(id, std::move(done)); });
}

TEST(SqliteStoreTest, OpenStoreCreatesMissingParentDirectories) {
  TempDir dir;
  const auto path = dir.path() / "a" / "b" / "vitarec.db";

  OpenAt(path);

  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteStoreTest, OpenStoreTakesPathsRelativeToTheWorkingDirectory) {
  TempDir dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());

  auto store = OpenStore("sqlite:./vitarec-data/vitarec.db", {});

  std::filesystem::current_path(previous);
  ASSERT_THAT(store, Succeeds());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "vitarec-data" / "vitarec.db"));
}

// PostgreSQL URLs are covered by PostgresStoreTest.
TEST(SqliteStoreTest, OpenStoreRefusesUrlsItCannotServe) {
  struct Case {
    std::string url;
    std::string message;
  };
  const Case cases[] = {
      {"mysql://vitarec:secret@db/vitarec", "unsupported store URL"},
      {"sqlite:", "needs a PATH"},
      {"", "unsupported store URL"},
  };
  for (const Case& c : cases) {
    auto store = OpenStore(c.url, {});
    EXPECT_THAT(store, FailsWith(ErrorCode::kInvalidArgument)) << c.url;
    if (store) continue;
    EXPECT_THAT(store.error().message, HasSubstr(c.message)) << c.url;
    EXPECT_THAT(store.error().message, Not(HasSubstr("secret"))) << c.url;
  }
}

TEST(SqliteStoreTest, OpenStoreRefusesAnUnknownSynchronousLevel) {
  TempDir dir;
  StoreOptions options;
  options.sqlite_synchronous = "FULL; DROP TABLE jobs";

  EXPECT_THAT(OpenStore("sqlite:" + (dir.path() / "x.db").string(), options),
              FailsWith(ErrorCode::kInvalidArgument));
}

TEST(SqliteStoreTest, OpenStoreRefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.path() / "notes.txt";
  std::ofstream(path) << std::string(8192, 'x');

  auto store = OpenStore("sqlite:" + path.string(), {});

  ASSERT_THAT(store, FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(store.error().message, HasSubstr("SQLITE_NOTADB"));
}

TEST(SqliteStoreTest, DatabaseIsInWalModeWithTheLatestSchemaAndClaimIndexes) {
  TempDir dir;
  const auto path = dir.path() / "vitarec.db";
  OpenAt(path);
  OpenAt(path);  // a second open finds nothing to migrate

  RawDatabase raw(path);
  EXPECT_EQ(raw.QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.QueryText("PRAGMA user_version"), std::to_string(sqlite::Migrations().size()));
  for (const char* index :
       {"jobs_by_idempotency_key", "jobs_queued_by_run_at", "jobs_running_by_lease_expiry"}) {
    EXPECT_EQ(raw.QueryText("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = '" +
                            std::string(index) + "'"),
              index);
  }
}

TEST(SqliteStoreTest, DatabaseWrittenByANewerBuildIsRefused) {
  TempDir dir;
  const auto path = dir.path() / "vitarec.db";
  RawDatabase(path).Execute("PRAGMA user_version = 999");

  auto store = OpenStore("sqlite:" + path.string(), {});

  ASSERT_THAT(store, FailsWith(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store.error().message, HasSubstr("999"));
}

TEST(SqliteStoreTest, StorageFaultsAreUnavailableAndOtherFailuresInternal) {
  for (int rc : {SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED,
                 SQLITE_CANTOPEN, SQLITE_NOTADB}) {
    EXPECT_EQ(sqlite::SqliteError(rc, nullptr, "test").code, ErrorCode::kUnavailable) << rc;
  }
  for (int rc : {SQLITE_ERROR, SQLITE_CONSTRAINT_UNIQUE, SQLITE_MISUSE, SQLITE_RANGE}) {
    EXPECT_EQ(sqlite::SqliteError(rc, nullptr, "test").code, ErrorCode::kInternal) << rc;
  }
  EXPECT_THAT(sqlite::SqliteError(SQLITE_IOERR_FSYNC, nullptr, "commit").message,
              HasSubstr("SQLITE_IOERR"));
}

TEST(SqliteStoreTest, WritesFailUnavailableWhileAnotherProcessHoldsTheLockThenRecover) {
  TempDir dir;
  const auto path = dir.path() / "vitarec.db";
  StoreOptions options;
  options.busy_timeout = Millis(50);
  auto store = OpenAt(path, options);
  const std::string kept = Must(InsertInto(*store, StoreContractTest::MakeJob(kT0))).job.id;
  RawDatabase other(path);
  other.Execute("BEGIN IMMEDIATE");

  const NewJob refused_job = StoreContractTest::MakeJob(kT0);
  auto refused = InsertInto(*store, refused_job);

  ASSERT_THAT(refused, FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(refused.error().message, HasSubstr("SQLITE_BUSY"));
  EXPECT_THAT(GetFrom(*store, kept), Succeeds());  // readers do not wait for the writer lock
  other.Execute("COMMIT");
  EXPECT_THAT(GetFrom(*store, refused_job.id), FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(InsertInto(*store, StoreContractTest::MakeJob(kT0)), Succeeds());
}

TEST(SqliteStoreTest, ACallbackThatThrowsDoesNotStopTheStore) {
  TempDir dir;
  auto store = OpenAt(dir.path() / "vitarec.db");
  std::atomic<bool> thrown{false};
  store->Insert(StoreContractTest::MakeJob(kT0), [&](core::Result<InsertOutcome>) {
    thrown = true;
    throw std::runtime_error("bug in a caller");
  });
  store->Get("unknown", [](core::Result<Job>) { throw std::runtime_error("bug in a reader"); });

  EXPECT_THAT(InsertInto(*store, StoreContractTest::MakeJob(kT0)), Succeeds());
  EXPECT_TRUE(thrown.load());
  EXPECT_THAT(GetFrom(*store, "unknown"), FailsWith(ErrorCode::kNotFound));
}

// A 1 MiB tmpfs mounted for one test and detached when it ends.
class SmallFileSystem {
 public:
  explicit SmallFileSystem(std::filesystem::path at) : path_(std::move(at)) {
    std::filesystem::create_directories(path_);
    mounted_ = mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=1M") == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallFileSystem() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }

  // Writes `file` until the file system has no space left.
  void Fill(const std::filesystem::path& file) const {
    const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::string chunk(4096, 'f');
    while (write(fd, chunk.data(), chunk.size()) > 0) {
    }
    close(fd);
  }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string error_;
};

TEST(SqliteStoreTest, DiskFullFailsWritesUnavailableAndTheStoreRecoversWhenSpaceIsFreed) {
  TempDir dir;
  SmallFileSystem disk(dir.path() / "small");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << disk.error();
  const auto db_path = disk.path() / "vitarec.db";
  const auto filler = disk.path() / "filler";
  auto store = OpenAt(db_path);
  const std::string kept = Must(InsertInto(*store, StoreContractTest::MakeJob(kT0))).job.id;
  disk.Fill(filler);

  core::Result<InsertOutcome> refused;
  std::string refused_id;
  for (int i = 0; i < 20 && refused; ++i) {
    NewJob job = StoreContractTest::MakeJob(kT0);
    job.request_json = std::string(8192, 'r');
    refused_id = job.id;
    refused = InsertInto(*store, std::move(job));
  }

  ASSERT_THAT(refused, FailsWith(ErrorCode::kUnavailable));
  EXPECT_THAT(refused.error().message, HasSubstr("SQLITE_FULL"));
  EXPECT_THAT(GetFrom(*store, refused_id), FailsWith(ErrorCode::kNotFound));
  EXPECT_THAT(GetFrom(*store, kept), Succeeds());

  std::filesystem::remove(filler);
  auto after = InsertInto(*store, StoreContractTest::MakeJob(kT0));
  ASSERT_THAT(after, Succeeds());
  store = OpenAt(db_path);
  EXPECT_THAT(GetFrom(*store, kept), Succeeds());
  EXPECT_THAT(GetFrom(*store, after->job.id), Succeeds());
}

}  // namespace
}  // namespace vitarec::store

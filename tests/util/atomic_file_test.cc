#include "src/util/atomic_file.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace hero {
namespace {

using ::testing::UnitTest;

// A fresh, empty directory under TEST_TMPDIR for the running test.
std::string TestDir() {
  const char* root = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(root != nullptr ? root : "/tmp", "/",
                   UnitTest::GetInstance()->current_test_info()->name());
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string MustRead(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFile(path);
  EXPECT_TRUE(contents.ok()) << contents.status();
  return contents.ok() ? *contents : "";
}

TEST(WriteFileAtomicallyTest, CreatesThenReplacesAndLeavesNoTempFiles) {
  const std::string dir = TestDir();
  const std::string path = dir + "/best.py";
  ASSERT_TRUE(WriteFileAtomically(path, "first version\n").ok());
  EXPECT_EQ(MustRead(path), "first version\n");
  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  EXPECT_EQ(MustRead(path), "second");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"best.py"});
}

TEST(WriteFileAtomicallyTest, WritesEmptyAndBinaryContents) {
  const std::string dir = TestDir();
  ASSERT_TRUE(WriteFileAtomically(dir + "/empty", "").ok());
  EXPECT_EQ(MustRead(dir + "/empty"), "");
  std::string binary(3 << 20, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i);
  ASSERT_TRUE(WriteFileAtomically(dir + "/binary", binary).ok());
  EXPECT_EQ(MustRead(dir + "/binary"), binary);
}

TEST(WriteFileAtomicallyTest, MissingDirectoryNamesPathAndError) {
  const std::string path = TestDir() + "/no/such/dir/file.txt";
  const absl::Status status = WriteFileAtomically(path, "x");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(status.message(), path + ": ")) << status;
  EXPECT_TRUE(absl::EndsWith(status.message(), "No such file or directory"))
      << status;
}

TEST(WriteFileAtomicallyTest, PathIsDirectoryFailsAndCleansUp) {
  const std::string dir = TestDir();
  const std::string path = dir + "/sub";
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  const absl::Status status = WriteFileAtomically(path, "x");
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StartsWith(status.message(), path + ": ")) << status;
  EXPECT_TRUE(absl::EndsWith(status.message(), "Is a directory")) << status;
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"sub"});
}

// A write that fails half-way (file size limit) must leave the old file.
TEST(WriteFileAtomicallyTest, FailedWriteKeepsOldFileIntact) {
  const std::string dir = TestDir();
  const std::string path = dir + "/checkpoint";
  ASSERT_TRUE(WriteFileAtomically(path, "good checkpoint").ok());

  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit limited = saved;
  limited.rlim_cur = 4096;
  const sighandler_t old_handler = ::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  const absl::Status status =
      WriteFileAtomically(path, std::string(1 << 20, 'x'));
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, old_handler);

  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StartsWith(status.message(), path + ": ")) << status;
  EXPECT_TRUE(absl::EndsWith(status.message(), "File too large")) << status;
  EXPECT_EQ(MustRead(path), "good checkpoint");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"checkpoint"});
}

TEST(WriteFileAtomicallyTest, ConcurrentWritersPublishWholeFiles) {
  const std::string dir = TestDir();
  const std::string path = dir + "/shared";
  constexpr int kThreads = 8;
  std::vector<std::string> versions;
  for (int t = 0; t < kThreads; ++t) {
    versions.push_back(std::string(100000 + t, static_cast<char>('a' + t)));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(WriteFileAtomically(path, versions[t]).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string final_contents = MustRead(path);
  EXPECT_NE(std::find(versions.begin(), versions.end(), final_contents),
            versions.end());
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"shared"});
}

TEST(ReadFileTest, MissingFileMessage) {
  const std::string path = TestDir() + "/missing.txt";
  const absl::StatusOr<std::string> contents = ReadFile(path);
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(contents.status().message(), path + ": No such file or directory");
}

TEST(ReadFileTest, DirectoryIsAnError) {
  const std::string dir = TestDir();
  const absl::StatusOr<std::string> contents = ReadFile(dir);
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(contents.status().message(), dir + ": is a directory");
  const absl::StatusOr<std::string> limited =
      ReadFile(dir, ReadFileLimit{100, "the test limit"});
  EXPECT_EQ(limited.status().message(), dir + ": is a directory");
}

TEST(ReadFileTest, SizeLimitAtAndJustPast) {
  const std::string path = TestDir() + "/ten.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "0123456789").ok());
  const absl::StatusOr<std::string> at = ReadFile(path, {10, "the test limit"});
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, "0123456789");
  const absl::StatusOr<std::string> past =
      ReadFile(path, {9, "the test limit"});
  EXPECT_EQ(past.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(past.status().message(),
            path + ": larger than the test limit of 9 bytes");
}

TEST(ReadFileTest, SizeLimitStopsAnEndlessStream) {
  // /dev/zero has no size to check up front: the read loop must stop.
  const absl::StatusOr<std::string> zero =
      ReadFile("/dev/zero", {1 << 20, "the test limit"});
  EXPECT_EQ(zero.status().message(),
            "/dev/zero: larger than the test limit of 1048576 bytes");
}

TEST(AppendOnlyFileTest, AppendsAndSurvivesReopen) {
  const std::string path = TestDir() + "/journal.jsonl";
  {
    absl::StatusOr<AppendOnlyFile> file = AppendOnlyFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE(file->Append("{\"a\":1}\n").ok());
    ASSERT_TRUE(file->Append("{\"b\":2}\n").ok());
    ASSERT_TRUE(file->Close().ok());
  }
  {
    absl::StatusOr<AppendOnlyFile> file =
        AppendOnlyFile::Open(path, AppendOnlyFileOptions{/*sync=*/true});
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE(file->Append("{\"c\":3}\n").ok());
    ASSERT_TRUE(file->Sync().ok());
    // Destructor closes.
  }
  EXPECT_EQ(MustRead(path), "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
}

TEST(AppendOnlyFileTest, RecordsSurviveKillDashNine) {
  const std::string path = TestDir() + "/journal";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<AppendOnlyFile> file = AppendOnlyFile::Open(path);
    if (!file.ok()) ::_exit(1);
    for (int i = 0; i < 100; ++i) {
      if (!file->Append(absl::StrCat("record ", i, "\n")).ok()) ::_exit(2);
    }
    ::raise(SIGKILL);  // No destructors, no flushing at exit.
    ::_exit(3);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "child exit status " << wstatus;
  std::string expected;
  for (int i = 0; i < 100; ++i) absl::StrAppend(&expected, "record ", i, "\n");
  EXPECT_EQ(MustRead(path), expected);
}

TEST(AppendOnlyFileTest, ClosedFileRejectsAppendAndMoveTransfersOwnership) {
  const std::string path = TestDir() + "/log";
  absl::StatusOr<AppendOnlyFile> opened = AppendOnlyFile::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status();
  AppendOnlyFile file = std::move(*opened);
  EXPECT_FALSE(opened->is_open());
  EXPECT_EQ(opened->Append("lost").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(file.is_open());
  EXPECT_EQ(file.path(), path);
  ASSERT_TRUE(file.Append("kept").ok());
  ASSERT_TRUE(file.Close().ok());
  EXPECT_TRUE(file.Close().ok());
  EXPECT_EQ(file.Append("late").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MustRead(path), "kept");
}

TEST(AppendOnlyFileTest, OpenInMissingDirectoryNamesPath) {
  const std::string path = TestDir() + "/absent/journal";
  const absl::StatusOr<AppendOnlyFile> file = AppendOnlyFile::Open(path);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(file.status().message(), path + ": No such file or directory");
}

}  // namespace
}  // namespace hero

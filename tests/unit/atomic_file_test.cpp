// write_file_atomic's failure paths: short writes, a full disk, a failed rename. The temp file never stays behind
// and the previous report survives whole.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "harness/core/atomic_file.h"
#include "harness/core/atomic_file_ops.h"
#include "harness/core/errors.h"

namespace tranche {
namespace {

namespace fs = std::filesystem;

// A fresh directory holding r.json = "previous report"; restores the real write and rename when done.
class AtomicFileFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tranche-atomic-faults-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "r.json").string();
    write_file_atomic(path_, "previous report");
  }
  void TearDown() override {
    set_atomic_file_ops(default_atomic_file_ops());
    fs::remove_all(dir_);
  }
  // Names in the directory other than r.json (temp files left behind).
  std::vector<std::string> leftovers() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename() != "r.json") out.push_back(e.path().filename().string());
    }
    return out;
  }
  // Expects write_file_atomic to throw InputError naming the path and `reason`.
  void expect_failure(const std::string& reason) {
    try {
      write_file_atomic(path_, std::string(100000, 'x'));
      ADD_FAILURE() << "write_file_atomic did not throw";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path_), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_file(path_), "previous report");
    EXPECT_EQ(leftovers(), std::vector<std::string>{});
  }

  fs::path dir_;
  std::string path_;
};

int g_write_calls = 0;

TEST_F(AtomicFileFaults, ShortWritesStillWriteTheWholeFile) {
  g_write_calls = 0;
  set_atomic_file_ops({[](int fd, const void* data, std::size_t size) {
                         ++g_write_calls;
                         return default_atomic_file_ops().write(fd, data, size < 7 ? size : 7);
                       },
                       default_atomic_file_ops().rename});
  const std::string content(1000, 'y');
  write_file_atomic(path_, content);
  EXPECT_EQ(read_file(path_), content);
  EXPECT_EQ(g_write_calls, 143);  // ceil(1000 / 7): the loop resumed after every short write
  EXPECT_EQ(leftovers(), std::vector<std::string>{});
}

TEST_F(AtomicFileFaults, DiskFullMidwayRemovesTheTempAndKeepsThePreviousFile) {
  g_write_calls = 0;
  set_atomic_file_ops({[](int fd, const void* data, std::size_t size) -> ssize_t {
                         if (++g_write_calls == 1) return default_atomic_file_ops().write(fd, data, size / 2);
                         errno = ENOSPC;
                         return -1;
                       },
                       default_atomic_file_ops().rename});
  expect_failure("No space left on device");
  EXPECT_EQ(g_write_calls, 2);
}

TEST_F(AtomicFileFaults, AWriteThatMakesNoProgressFailsInsteadOfSpinning) {
  set_atomic_file_ops({[](int, const void*, std::size_t) -> ssize_t { return 0; }, default_atomic_file_ops().rename});
  expect_failure("write made no progress");
}

TEST_F(AtomicFileFaults, InterruptedWritesAreRetried) {
  g_write_calls = 0;
  set_atomic_file_ops({[](int fd, const void* data, std::size_t size) -> ssize_t {
                         if (++g_write_calls % 2 == 1) {
                           errno = EINTR;
                           return -1;
                         }
                         return default_atomic_file_ops().write(fd, data, size);
                       },
                       default_atomic_file_ops().rename});
  write_file_atomic(path_, "new report");
  EXPECT_EQ(read_file(path_), "new report");
  EXPECT_EQ(g_write_calls, 2);
}

TEST_F(AtomicFileFaults, RenameFailureRemovesTheTempAndKeepsThePreviousFile) {
  set_atomic_file_ops({default_atomic_file_ops().write, [](const char*, const char*) {
                         errno = EIO;
                         return -1;
                       }});
  expect_failure("Input/output error");
}

TEST_F(AtomicFileFaults, RenameOntoADirectoryFailsWithoutLeavingTheTemp) {
  const std::string target = (dir_ / "taken").string();
  fs::create_directories(fs::path(target) / "child");
  EXPECT_THROW(write_file_atomic(target, "x"), InputError);
  EXPECT_TRUE(fs::is_directory(fs::path(target) / "child"));
  EXPECT_EQ(leftovers(), std::vector<std::string>{"taken"});
}

}  // namespace
}  // namespace tranche

// RunLock: a second holder is refused at once, the lock frees with its holder, and a bad path is an input error.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/run_lock.h"

namespace tranche {
namespace {

namespace fs = std::filesystem;

std::string lock_path() {
  return (fs::temp_directory_path() / ("tranche-lock-test-" + std::to_string(::getpid()))).string();
}

// flock locks belong to the open file description, so a second open in this process conflicts like another
// process would; the fork case checks the cross-process behaviour Slurm's overlapping health checks rely on.
TEST(RunLock, ASecondAcquireIsRefusedUntilTheFirstIsReleased) {
  const std::string path = lock_path();
  {
    auto first = RunLock::try_acquire(path);
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(RunLock::try_acquire(path).has_value());
    const pid_t child = ::fork();
    if (child == 0) _exit(RunLock::try_acquire(path).has_value() ? 1 : 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "another process took a held lock";
  }
  EXPECT_TRUE(RunLock::try_acquire(path).has_value());
  fs::remove(path);
}

TEST(RunLock, AMovedLockStaysHeld) {
  const std::string path = lock_path();
  auto first = RunLock::try_acquire(path);
  ASSERT_TRUE(first.has_value());
  RunLock moved(std::move(*first));
  first.reset();
  EXPECT_FALSE(RunLock::try_acquire(path).has_value());
  fs::remove(path);
}

TEST(RunLock, AnUnopenablePathIsAnInputErrorNamingIt) {
  try {
    RunLock::try_acquire("/nonexistent-dir/tranche.lock");
    FAIL() << "opened a lock in a missing directory";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/tranche.lock"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--lock-file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tranche

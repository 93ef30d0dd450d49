// An exclusive, non-blocking lock file so that a run started while another still runs exits at once.
#pragma once
#include <optional>
#include <string>

namespace tranche {

// Holds flock(LOCK_EX) on a file until destroyed. The kernel drops the lock when the process ends, however it
// ends, so a killed run never leaves a stale lock behind (a leftover file is harmless). Move-only.
class RunLock {
 public:
  // Takes the lock on `path` (created 0644 if missing) without waiting. Returns nullopt when another process
  // holds it. Throws InputError naming the path when the file cannot be opened (missing directory, no permission).
  static std::optional<RunLock> try_acquire(const std::string& path);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tranche

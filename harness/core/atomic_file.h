// Atomic file writes (temp file in the same directory, fsync, rename) and a JSONL log flushed per line.
#pragma once
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace tranche {

// Writes `content` to `path` so a reader sees the old file or the whole new one, never a half-written one.
// Throws InputError naming the path and the OS error when the directory is not writable.
void write_file_atomic(const std::string& path, const std::string& content);

// The largest file tranche reads (a report of a 72-GPU node with every sample is a few MiB).
inline constexpr unsigned long long kMaxInputBytes = 256ull << 20;

// Reads a whole file. Throws InputError naming the path when it cannot be read, is a directory, or is larger
// than kMaxInputBytes.
std::string read_file(const std::string& path);

// Creates `dir` (and parents) if needed and proves it writable by creating and removing a probe file.
// Throws InputError naming the directory and the fix.
void ensure_writable_dir(const std::string& dir);

// Throws InputError naming `dir`, the free space and the fix when its file system has less than `bytes` free
// for an unprivileged user (statvfs f_bavail), so a run does not measure for an hour and then fail to save.
void ensure_free_space(const std::string& dir, unsigned long long bytes);

// Appends one JSON object per line and flushes (and fsyncs) each, so the log survives a kill. Thread-safe.
class JsonlLog {
 public:
  // Throws InputError when the file cannot be opened.
  explicit JsonlLog(const std::string& path);
  ~JsonlLog();
  JsonlLog(const JsonlLog&) = delete;
  JsonlLog& operator=(const JsonlLog&) = delete;
  // Adds "t" (UTC ISO-8601) to the event and appends it. A failed write (a full disk) does not throw: the run
  // goes on and the first failure is reported once on stderr, naming the log and the OS error.
  void write(nlohmann::json event);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::mutex mu_;
};

}  // namespace tranche

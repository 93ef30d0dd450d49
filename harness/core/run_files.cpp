// reserve_run_files: exclusive creation is the lock; the time in the name is only for people.
#include "harness/core/run_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

namespace {

std::string file_stamp(std::chrono::system_clock::time_point t) {
  const std::string iso = to_iso8601(t);  // 2026-11-24T05:15:49.123Z
  std::string out;
  for (char c : iso.substr(0, 23)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";  // 20261124T051549.123Z
}

}  // namespace

std::string reserve_run_files(const std::string& dir, const std::string& host,
                              std::chrono::system_clock::time_point started) {
  const std::string stem = (std::filesystem::path(dir) / (host + "-" + file_stamp(started))).string();
  for (int n = 1; n <= 1000; ++n) {
    const std::string base = n == 1 ? stem : stem + "-" + std::to_string(n);
    if (std::filesystem::exists(base + ".json")) continue;
    const int fd = ::open((base + ".events.jsonl").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::close(fd);
      return base;
    }
    if (errno != EEXIST) break;
  }
  throw InputError("--out " + dir + ": cannot create a new event log next to " + stem +
                   ".json (check the directory's permissions and free space)");
}

}  // namespace tranche

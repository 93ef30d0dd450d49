// Atomic writes with POSIX calls: mkstemp in the target directory, write, fsync, rename, fsync the directory.
#include "harness/core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "harness/core/atomic_file_ops.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

namespace fs = std::filesystem;

namespace {
std::string os_error() { return std::strerror(errno); }

AtomicFileOps& ops() {
  static AtomicFileOps current = default_atomic_file_ops();
  return current;
}

std::string parent_dir(const std::string& path) {
  auto p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}
}  // namespace

AtomicFileOps default_atomic_file_ops() {
  return {[](int fd, const void* data, std::size_t size) { return ::write(fd, data, size); },
          [](const char* from, const char* to) { return std::rename(from, to); }};
}

void set_atomic_file_ops(const AtomicFileOps& o) { ops() = o; }

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string dir = parent_dir(path);
  std::string tmpl = (fs::path(dir) / ("." + fs::path(path).filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) throw InputError("cannot write " + path + ": " + os_error() + " (choose a writable directory with --out)");
  const std::string tmp(name.data());
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ops().write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // a write that makes no progress would loop forever: treat it as an I/O error
      const std::string err = n < 0 ? os_error() : std::string("write made no progress");
      ::close(fd);
      ::unlink(tmp.c_str());
      throw InputError("cannot write " + path + ": " + err + " (is the disk full?)");
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
    const std::string err = os_error();
    ::close(fd);
    ::unlink(tmp.c_str());
    throw InputError("cannot write " + path + ": " + err);
  }
  ::close(fd);
  if (ops().rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = os_error();
    ::unlink(tmp.c_str());
    throw InputError("cannot write " + path + ": " + err);
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read " + path + ": " + os_error());
  std::ostringstream os;
  os << in.rdbuf();
  if (in.bad()) throw InputError("cannot read " + path + ": read error");
  return os.str();
}

void ensure_writable_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec && !fs::is_directory(dir)) {
    throw InputError("output directory " + dir + " cannot be created: " + ec.message() +
                     " (choose another with --out)");
  }
  if (!fs::is_directory(dir)) throw InputError("output path " + dir + " is not a directory (choose another with --out)");
  std::string tmpl = (fs::path(dir) / ".tranche-probe.XXXXXX").string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) throw InputError("output directory " + dir + " is not writable: " + os_error() + " (choose another with --out)");
  ::close(fd);
  ::unlink(name.data());
}

JsonlLog::JsonlLog(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw InputError("cannot open event log " + path + ": " + os_error());
}

JsonlLog::~JsonlLog() {
  if (file_) std::fclose(file_);
}

void JsonlLog::write(nlohmann::json event) {
  event["t"] = to_iso8601(std::chrono::system_clock::now());
  const std::string line = event.dump() + "\n";
  std::lock_guard lock(mu_);
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
  ::fsync(fileno(file_));
}

}  // namespace tranche

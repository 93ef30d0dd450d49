// Worker processes with POSIX calls: memfd for the job, a pipe for the events, posix_spawn, poll, waitpid.
#include "harness/core/worker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "harness/core/worker_protocol.h"

extern char** environ;

namespace tranche {

namespace {

std::atomic<pid_t> g_current_worker{0};

std::runtime_error os_failure(const std::string& what) {
  return std::runtime_error("cannot start a worker process: " + what + ": " + std::strerror(errno));
}

}  // namespace

void kill_current_worker() noexcept {
  const pid_t pid = g_current_worker.load();
  if (pid > 0) ::kill(pid, SIGKILL);
}

std::string self_executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error(std::string("cannot find this executable: /proc/self/exe: ") + std::strerror(errno));
  return std::string(buf, static_cast<size_t>(n));
}

WorkerProcess::WorkerProcess(const std::string& exe, const std::string& mode, const std::string& input) {
  // A worker that dies while the supervisor writes to it must not kill the supervisor with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  const int in_fd = ::memfd_create("tranche-job", MFD_CLOEXEC);
  if (in_fd < 0) throw os_failure("memfd_create");
  for (size_t done = 0; done < input.size();) {
    const ssize_t n = ::write(in_fd, input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(in_fd);
      throw os_failure("write job");
    }
    done += static_cast<size_t>(n);
  }
  ::lseek(in_fd, 0, SEEK_SET);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ::close(in_fd);
    throw os_failure("pipe2");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], kWorkerEventFd);
  std::string arg0 = exe, arg1 = "__worker", arg2 = mode, arg3 = std::to_string(::getpid());
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), nullptr};
  const int rc = ::posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_fd);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    errno = rc;
    throw os_failure("posix_spawn " + exe);
  }
  read_fd_ = fds[0];
  g_current_worker.store(pid_);
}

WorkerProcess::~WorkerProcess() {
  if (!reaped_) {
    kill_now();
    wait_status(std::chrono::seconds(2));
  }
  if (read_fd_ >= 0) ::close(read_fd_);
  g_current_worker.store(0);
}

bool WorkerProcess::read_lines(std::chrono::milliseconds timeout, std::vector<std::string>& lines) {
  if (read_fd_ < 0) return false;
  pollfd p{read_fd_, POLLIN, 0};
  const int r = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, timeout.count())));
  if (r < 0 && errno == EINTR) return true;  // a signal: the caller looks at its cancel flag
  if (r <= 0) return true;
  char buf[65536];
  const ssize_t n = ::read(read_fd_, buf, sizeof buf);
  if (n < 0 && errno == EINTR) return true;
  if (n > 0) buffer_.append(buf, static_cast<size_t>(n));
  for (size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
    lines.push_back(buffer_.substr(0, nl));
    buffer_.erase(0, nl + 1);
  }
  if (n <= 0) {  // end of file (or a read error: the same for the supervisor)
    ::close(read_fd_);
    read_fd_ = -1;
    return false;
  }
  return true;
}

void WorkerProcess::send_signal(int sig) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
}

std::string WorkerProcess::wait_status(std::chrono::milliseconds wait, bool* exited_ok) {
  if (exited_ok) *exited_ok = false;
  const auto until = std::chrono::steady_clock::now() + wait;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0 && errno != EINTR) {
      reaped_ = true;
      return std::string("could not be waited for: ") + std::strerror(errno);
    }
    if (std::chrono::steady_clock::now() >= until) {
      return "did not exit within " + std::to_string(wait.count() / 1000.0).substr(0, 4) +
             " s of being killed (stuck in the kernel driver?)";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reaped_ = true;
  g_current_worker.store(0);
  if (WIFEXITED(status)) {
    if (exited_ok) *exited_ok = WEXITSTATUS(status) == 0;
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return "was killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : std::string());
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace tranche

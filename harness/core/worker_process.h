// A child process of this binary in worker mode: started with a job on its stdin, read as JSON lines from a
// pipe, killed and reaped without ever blocking the supervisor for long.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tranche {

class WorkerProcess {
 public:
  // Starts `exe __worker MODE SUPERVISOR_PID` with `input` as its stdin (a sealed memory file, so writing never blocks), fd
  // kWorkerEventFd as the write end of a pipe, stdout redirected to stderr. Throws std::runtime_error with
  // the OS error when the process cannot be started.
  WorkerProcess(const std::string& exe, const std::string& mode, const std::string& input);
  // Kills the worker if it still runs and reaps it (bounded: a process stuck in the kernel driver is left).
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  // Waits up to `timeout` for output and appends each complete line to `lines`. False once the pipe is closed
  // (the worker exited or closed it) and every line has been returned.
  bool read_lines(std::chrono::milliseconds timeout, std::vector<std::string>& lines);
  void send_signal(int sig);
  // SIGKILL to the worker.
  void kill_now() { send_signal(9); }
  // Reaps the worker, waiting up to `wait`. Returns how it ended: "exited with status 0", "was killed by signal 6
  // (SIGABRT)", or "did not exit within N s (stuck in the kernel driver?)". exited_ok tells a clean exit 0.
  std::string wait_status(std::chrono::milliseconds wait, bool* exited_ok = nullptr);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
  bool reaped_ = false;
  std::string buffer_;
};

// The running worker's pid for kill_current_worker() (0 when none). Set by WorkerProcess.
// SIGKILLs the running worker; async-signal-safe (for a second Ctrl-C, which leaves at once).
void kill_current_worker() noexcept;

// This executable's path (readlink /proc/self/exe), for starting workers.
std::string self_executable();

}  // namespace tranche

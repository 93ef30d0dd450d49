// What `tranche run` prints on stderr while it works: the header (host, profile, baseline, files), one line per
// finished check, and on a terminal a status line (running check, GPUs, elapsed, time left) redrawn every second.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "reports/run_status.h"

namespace tranche::cli {

class RunProgress {
 public:
  // live: keep a status line at the bottom (stderr is a terminal); otherwise plain lines only.
  explicit RunProgress(bool live);
  ~RunProgress();
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  // Thread-safe; events may come from any thread.
  void on_event(const nlohmann::json& event);
  // Stops the redraw and erases the status line, so what follows starts on a clean line. Idempotent.
  void finish();

  // True when stderr is a terminal that can redraw a line (not TERM=dumb).
  static bool stderr_is_live();

 private:
  void redraw_locked();
  std::mutex mu_;
  std::condition_variable wake_;
  RunStatus status_;
  bool live_;
  bool stop_ = false;
  std::thread ticker_;
};

}  // namespace tranche::cli

// RunProgress: RunStatus and progress_line on stderr, with a ticker thread for the live line.
#include "harness/cli/run_progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "harness/core/duration_text.h"
#include "reports/progress_line.h"
#include "tranche/version.h"

namespace tranche::cli {

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

constexpr const char* kEraseLine = "\r\033[K";  // carriage return, then erase to the end of the line

}  // namespace

bool RunProgress::stderr_is_live() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

RunProgress::RunProgress(bool live) : live_(live) {
  if (!live_) return;
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      redraw_locked();
      wake_.wait_for(lock, std::chrono::seconds(1));
    }
  });
}

RunProgress::~RunProgress() { finish(); }

void RunProgress::redraw_locked() {
  const std::string line = status_.line(now_s());
  if (!line.empty()) std::cerr << kEraseLine << line << std::flush;
}

void RunProgress::on_event(const nlohmann::json& e) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.on_event(e, now_s());
  const std::string kind = e.value("event", "");
  if (live_) std::cerr << kEraseLine;
  if (kind == "run_start") {
    const auto& b = e.find("baseline");
    std::cerr << "tranche " << kToolVersion << ": host " << e.value("host", "?") << ", profile "
              << e.value("profile", "?") << ", baseline "
              << (b != e.end() && b->is_string() ? b->get<std::string>() : std::string("(none)")) << ", "
              << status_.total() << " measurements";
    if (const double est = e.value("estimated_s", 0.0); est > 0) std::cerr << ", about " << format_duration(est);
    std::cerr << "\nreport: " << e.value("report", "?") << "\nevents: " << e.value("events", "?") << "\n";
  } else if (auto line = progress_line(e, status_.done(), status_.total(), status_.gpu_index())) {
    std::cerr << *line << "\n";  // flushed below: the operator sees each check as it ends
  }
  if (live_ && !stop_) redraw_locked();
  std::cerr << std::flush;
}

void RunProgress::finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
    if (live_) std::cerr << kEraseLine << std::flush;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

}  // namespace tranche::cli

// Progress line formatting and the terminal/plain writer.
#include "benches/burnin/burnin_progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

#include "harness/core/duration_text.h"

namespace tranche {

std::string format_progress_line(const ProgressState& s) {
  char buf[256];
  auto opt = [](std::optional<double> v, const char* fmt) {
    if (!v) return std::string("-");
    char b[32];
    std::snprintf(b, sizeof b, fmt, *v);
    return std::string(b);
  };
  const double eta = s.total_s > s.elapsed_s ? s.total_s - s.elapsed_s : 0;
  std::snprintf(buf, sizeof buf, "%s GPU %d  %s/%s  ETA %s  %s TFLOP/s  %s C  %s W  errors %lld", s.check.c_str(),
                s.gpu, format_duration(s.elapsed_s).c_str(), format_duration(s.total_s).c_str(),
                format_duration(eta).c_str(), opt(s.tflops, "%.1f").c_str(), opt(s.temp_c, "%.0f").c_str(),
                opt(s.power_w, "%.0f").c_str(), s.errors);
  return buf;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Writer {
  std::mutex mu;
  bool tty = isatty(STDERR_FILENO) == 1;
  double plain_every_s = [] {
    const char* e = std::getenv("TRANCHE_PROGRESS_EVERY_S");
    const double v = e ? std::atof(e) : 0;
    return v > 0 ? v : 60.0;
  }();
  std::map<std::pair<std::string, int>, std::string> lines;  // the live block, by (check, GPU)
  std::map<std::pair<std::string, int>, Clock::time_point> last_plain;
  std::map<std::pair<std::string, int>, bool> finished;
  Clock::time_point last_draw{};
  int drawn = 0;  // lines of the block on screen

  void redraw() {
    std::string out;
    if (drawn > 0) out += "\x1b[" + std::to_string(drawn) + "F";  // back to the block's first line
    for (const auto& [key, line] : lines) out += "\x1b[2K" + line + "\n";
    for (int extra = static_cast<int>(lines.size()); extra < drawn; ++extra) out += "\x1b[2K\n";
    std::fputs(out.c_str(), stderr);
    std::fflush(stderr);
    drawn = std::max(drawn, static_cast<int>(lines.size()));
    last_draw = Clock::now();
  }
};

Writer& writer() {
  static Writer w;
  return w;
}

}  // namespace

void progress_update(const ProgressState& s) {
  Writer& w = writer();
  std::lock_guard<std::mutex> lock(w.mu);
  const auto key = std::make_pair(s.check, s.gpu);
  const std::string line = format_progress_line(s);
  if (w.tty) {
    w.lines[key] = line;
    w.finished.erase(key);
    if (Clock::now() - w.last_draw >= std::chrono::milliseconds(500)) w.redraw();
    return;
  }
  auto it = w.last_plain.find(key);
  const auto now = Clock::now();
  if (it == w.last_plain.end() || std::chrono::duration<double>(now - it->second).count() >= w.plain_every_s) {
    w.last_plain[key] = now;
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
}

void progress_finish(const ProgressState& s) {
  Writer& w = writer();
  std::lock_guard<std::mutex> lock(w.mu);
  const auto key = std::make_pair(s.check, s.gpu);
  if (w.tty) {
    w.lines[key] = format_progress_line(s);
    w.finished[key] = true;
    w.redraw();
    // When every line of the block is final, the block stays on screen as the record; the next starts below.
    if (w.finished.size() == w.lines.size()) {
      w.lines.clear();
      w.finished.clear();
      w.drawn = 0;
    }
    return;
  }
  w.last_plain.erase(key);
  std::fprintf(stderr, "%s\n", format_progress_line(s).c_str());
  std::fflush(stderr);
}

}  // namespace tranche

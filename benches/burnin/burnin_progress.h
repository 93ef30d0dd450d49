// Live progress of long checks: one line per GPU, refreshed in place on a terminal, plain periodic lines
// otherwise (logs, Slurm). Separate from the per-check progress lines of `tranche run`.
#pragma once
#include <optional>
#include <string>

namespace tranche {

struct ProgressState {
  std::string check;  // "burnin.gemm"
  int gpu = 0;
  double elapsed_s = 0;
  double total_s = 0;
  std::optional<double> tflops;  // last interval's rate, TFLOP/s
  std::optional<double> temp_c;
  std::optional<double> power_w;
  long long errors = 0;  // SDC or memtest errors so far
};

// "burnin.gemm GPU 0  12m3s/30m  ETA 17m57s  612.3 TFLOP/s  71 C  688 W  errors 0" (fields NVML lacks as "-").
// Pure.
std::string format_progress_line(const ProgressState& s);

// Process-wide writer to stderr; thread-safe. On a terminal every update redraws the block of GPU lines at most
// every 0.5 s; otherwise each GPU prints a line at most every `plain_every_s` (default 60 s, env
// TRANCHE_PROGRESS_EVERY_S). finish() prints the GPU's last line and drops it from the block.
void progress_update(const ProgressState& s);
void progress_finish(const ProgressState& s);

}  // namespace tranche

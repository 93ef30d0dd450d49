// The shared HBM bandwidth procedure behind the six membw.* checks and the membw micro-benchmark.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "benches/membw/membw_math.h"
#include "harness/core/check.h"

namespace tranche::membw {

struct StreamOptions {
  std::uint64_t elements = 0;  // per array; any value >= 1 (the checks pass a multiple of the vector width)
  int samples = 20;            // timed samples, one CUDA-event pair each
  int launches_per_sample = 10;  // back-to-back launches per sample
  int warmup = 3;              // untimed launches first
  unsigned threads = 256;      // block size; a multiple of 32 up to 1024
};

struct StreamRun {
  std::vector<double> seconds;   // per launch (sample time / launches_per_sample), GPU clock
  int launches_per_sample = 1;
  std::uint64_t mismatches = 0;  // elements (read: timed launches) that differ from the closed form
  std::uint64_t bytes_per_launch = 0;
  unsigned blocks = 0, threads = 0;
};

// Runs `op` on `device` (made current): allocates and initialises the arrays, warms up, calls before_timed
// (e.g. the start gate shared with the other GPUs), times each launch, then verifies the output against the
// closed form. Throws GpuError on a failed CUDA call (E_OUT_OF_MEMORY when the arrays do not fit) and E_TIMEOUT
// past `deadline`; a wrong result is counted in mismatches, never thrown. Thread-safe per device.
StreamRun measure_stream(int device, StreamOp op, const StreamOptions& options,
                         std::chrono::steady_clock::time_point deadline,
                         const std::function<void()>& before_timed = {});

// Parameters of every membw.* check: array_bytes (default 1 GiB), samples, warmup, block_size.
std::vector<ParamSpec> membw_params();
// CheckInfo for membw.<op>: gpu scope, order 30, metrics <id>/bandwidth and <id>/mismatches.
CheckInfo membw_check_info(StreamOp op, const std::string& summary);
// The check body: sizes the arrays from the parameters, L2 and free memory, runs measure_stream behind
// ctx.sync_start(), and returns bandwidth (median B/s, STREAM counting) and mismatches with sizing details.
Measurement run_membw_check(RunContext& ctx, StreamOp op);

}  // namespace tranche::membw

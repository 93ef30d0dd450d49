// measure_stream and the membw.* check body: occupancy-sized grid, warm-up, event-timed launches, verification.
#include "benches/membw/membw_core.h"

#include <cuda_runtime_api.h>

#include <cmath>

#include "harness/core/duration_estimate.h"
#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/membw.cuh"

namespace tranche::membw {

namespace {

kernels::StreamKernel to_kernel(StreamOp op) {
  switch (op) {
    case StreamOp::copy: return kernels::StreamKernel::copy;
    case StreamOp::scale: return kernels::StreamKernel::scale;
    case StreamOp::add: return kernels::StreamKernel::add;
    case StreamOp::triad: return kernels::StreamKernel::triad;
    case StreamOp::read: return kernels::StreamKernel::read;
    case StreamOp::write: return kernels::StreamKernel::write;
  }
  return kernels::StreamKernel::copy;
}

// Which of a, b, c the kernel touches (see kernels/membw.cuh) and which one it writes.
struct ArrayUse {
  bool a, b, c;
  char out;  // 'a', 'b', 'c'; 's' for the read sum
};
ArrayUse array_use(StreamOp op) {
  switch (op) {
    case StreamOp::copy: return {true, false, true, 'c'};
    case StreamOp::scale: return {false, true, true, 'b'};
    case StreamOp::add: return {true, true, true, 'c'};
    case StreamOp::triad: return {true, true, true, 'a'};
    case StreamOp::read: return {true, false, false, 's'};
    case StreamOp::write: return {true, false, false, 'a'};
  }
  return {true, true, true, 'a'};
}

constexpr std::uint64_t kElementBytes = sizeof(double);
constexpr std::uint64_t kVectorElements = 2;  // double2: 16-byte accesses

}  // namespace

StreamRun measure_stream(int device, StreamOp op, const StreamOptions& options,
                         std::chrono::steady_clock::time_point deadline, const std::function<void()>& before_timed) {
  set_device(device);
  const kernels::StreamKernel k = to_kernel(op);
  const ArrayUse use = array_use(op);
  const std::size_t n = options.elements;
  const int samples = options.samples < 1 ? 1 : options.samples;

  StreamRun run;
  kernels::StreamLaunch launch;
  TRANCHE_CUDA(kernels::stream_launch_config(k, device, options.threads, &launch));
  run.blocks = launch.blocks;
  run.threads = launch.threads;
  run.bytes_per_launch = stream_bytes(op, n, kElementBytes);

  DeviceBuffer<double> a(use.a ? n : 0), b(use.b ? n : 0), c(use.c ? n : 0);
  DeviceBuffer<double> partials(op == StreamOp::read ? launch.blocks : 0);
  DeviceBuffer<double> sums(op == StreamOp::read ? static_cast<std::size_t>(samples) + 1 : 0);
  DeviceBuffer<unsigned long long> counter(1);
  Stream stream;
  const cudaStream_t s = stream.get();

  TRANCHE_LAUNCH(kernels::stream_init(a.data(), b.data(), c.data(), n, s));
  // One launch: for read, pass 1 into the partial sums (pass 2 runs after each timed group, untimed).
  auto launch_once = [&] {
    TRANCHE_LAUNCH(kernels::stream_run(k, a.data(), b.data(), c.data(), n, partials.data(), launch, s));
  };
  auto read_total = [&](double* slot) {
    if (op == StreamOp::read) TRANCHE_LAUNCH(kernels::stream_read_total(partials.data(), launch.blocks, slot, s));
  };
  for (int i = 0; i < options.warmup; ++i) launch_once();
  read_total(sums.data() ? sums.data() + samples : nullptr);  // the spare last slot
  wait_stream(s, deadline, "membw warm-up");
  if (before_timed) before_timed();

  // Each sample: `launches` back-to-back launches between one event pair, so launch gaps and event resolution are
  // spread over many launches; seconds per launch = elapsed / launches.
  const int launches = options.launches_per_sample < 1 ? 1 : options.launches_per_sample;
  EventTimer timer;
  run.seconds.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    timer.start(s);
    for (int j = 0; j < launches; ++j) launch_once();
    timer.stop(s);
    read_total(sums.data() ? sums.data() + i : nullptr);
    run.seconds.push_back(timer.elapsed_s(deadline) / launches);
  }
  run.launches_per_sample = launches;

  // Verification after the timed loop: the inputs never change, so every launch leaves the same closed form.
  TRANCHE_CUDA(cudaMemsetAsync(counter.data(), 0, sizeof(unsigned long long), s));
  if (op == StreamOp::read) {
    TRANCHE_LAUNCH(kernels::stream_expected_sum(n, counter.data(), s));
    std::vector<double> got(static_cast<std::size_t>(samples));
    unsigned long long expected = 0;
    TRANCHE_CUDA(cudaMemcpyAsync(got.data(), sums.data(), got.size() * sizeof(double), cudaMemcpyDeviceToHost, s));
    TRANCHE_CUDA(cudaMemcpyAsync(&expected, counter.data(), sizeof expected, cudaMemcpyDeviceToHost, s));
    wait_stream(s, deadline, "membw.read verification");
    for (double g : got) run.mismatches += g != static_cast<double>(expected);
  } else {
    const double* out = use.out == 'a' ? a.data() : use.out == 'b' ? b.data() : c.data();
    TRANCHE_LAUNCH(kernels::stream_count_mismatches(k, out, n, counter.data(), s));
    unsigned long long bad = 0;
    TRANCHE_CUDA(cudaMemcpyAsync(&bad, counter.data(), sizeof bad, cudaMemcpyDeviceToHost, s));
    wait_stream(s, deadline, "membw verification");
    run.mismatches = bad;
  }
  return run;
}

namespace {
constexpr double kMaxArrayBytes = 1099511627776.0;  // 1 TiB: above any GPU's memory (capped at run time anyway)

// Three arrays moved per launch (add, triad; the others move fewer), warm-up and timed launches, then the
// verification read-back.
double membw_estimate_s(const nlohmann::json& p, int /*gpus*/) {
  const double bytes = 3 * param_number(p, "array_bytes", 1ull << 30);
  const double launches =
      param_number(p, "warmup", 3) + param_number(p, "samples", 20) * param_number(p, "launches_per_sample", 10);
  return kNominalSetupS + (launches + 1) * bytes / kNominalHbmBytesPerS;
}
}  // namespace

std::vector<ParamSpec> membw_params() {
  return {
      {"array_bytes", std::int64_t{1} << 30, "B",
       "bytes per array; raised to 8x L2 if smaller, capped at 80% of free memory over the arrays needed", 16,
       kMaxArrayBytes},
      {"samples", 20, "count", "timed samples; the figure is their median (bandwidth per launch)", 1, 100000},
      {"warmup", 3, "count", "untimed launches before timing", 0, 1000},
      {"launches_per_sample", 10, "count", "back-to-back launches timed by one CUDA-event pair (one sample)", 1,
       10000},
      {"block_size", 256, "count", "threads per block (multiple of 32); the grid comes from the occupancy API", 32,
       1024, "", false, {}, 32},
      start_gate_timeout_param(),
  };
}

CheckInfo membw_check_info(StreamOp op, const std::string& summary) {
  const std::string id = "membw." + std::string(to_string(op));
  CheckInfo info;
  info.id = id;
  info.summary = summary;
  info.scope = Scope::gpu;
  info.params = membw_params();
  info.estimate_s = membw_estimate_s;
  info.metrics = {id + "/bandwidth", id + "/mismatches"};
  info.timeout_s = 120.0;
  info.order = 30;
  return info;
}

Measurement run_membw_check(RunContext& ctx, StreamOp op) {
  const int device = ctx.device();
  const std::int64_t array_bytes = ctx.param_int("array_bytes");
  const std::int64_t samples = ctx.param_int("samples");
  const std::int64_t warmup = ctx.param_int("warmup");
  const std::int64_t launches = ctx.param_int("launches_per_sample");
  const std::int64_t block = ctx.param_int("block_size");
  if (array_bytes < 16) throw InputError("check parameter 'array_bytes' must be at least 16");
  if (samples < 1 || samples > 100000) throw InputError("check parameter 'samples' must be in 1..100000");
  if (warmup < 0 || warmup > 1000) throw InputError("check parameter 'warmup' must be in 0..1000");
  if (launches < 1 || launches > 10000) throw InputError("check parameter 'launches_per_sample' must be in 1..10000");
  if (block < 32 || block > 1024 || block % 32 != 0) {
    throw InputError("check parameter 'block_size' must be a multiple of 32 in 32..1024");
  }

  set_device(device);
  std::size_t free_bytes = 0, total_bytes = 0;
  TRANCHE_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  const GpuInfo* gpu = ctx.system().gpu(device);
  const std::uint64_t l2 = gpu ? gpu->l2_bytes : 0;
  const ArraySizing size = size_stream_arrays(static_cast<std::uint64_t>(array_bytes), kElementBytes, kVectorElements,
                                              l2, free_bytes, stream_arrays(op));

  Measurement m;
  m.check_id = "membw." + std::string(to_string(op));
  m.device = device;
  if (size.elements == 0) {
    ErrorInfo e;
    e.id = "E_OUT_OF_MEMORY";
    e.gpu = device;
    e.message = "not enough free device memory for " + m.check_id + " (" + std::to_string(free_bytes) + " B free)";
    throw GpuError(e);
  }

  StreamOptions opt;
  opt.elements = size.elements;
  opt.samples = static_cast<int>(samples);
  opt.warmup = static_cast<int>(warmup);
  opt.launches_per_sample = static_cast<int>(launches);
  opt.threads = static_cast<unsigned>(block);
  bool gate_ok = true;
  const StreamRun run = measure_stream(device, op, opt, ctx.deadline(), [&] { gate_ok = ctx.sync_start(); });

  std::vector<double> bw;
  for (double t : run.seconds) {
    if (auto v = bandwidth_Bps(run.bytes_per_launch, t)) bw.push_back(*v);
  }
  if (bw.empty()) {
    m.add_metric("bandwidth", std::nullopt, "B/s");
  } else {
    m.add_median_metric("bandwidth", bw, "B/s").labels["array_bytes"] = std::to_string(size.bytes_per_array);
  }
  m.add_metric("mismatches", static_cast<double>(run.mismatches), "count");

  m.details["elements_per_array"] = size.elements;
  m.details["bytes_per_array"] = size.bytes_per_array;
  m.details["arrays"] = stream_arrays(op);
  m.details["bytes_per_launch"] = run.bytes_per_launch;
  m.details["byte_counting"] = "STREAM: every array read or written counts once";
  m.details["grid_blocks"] = run.blocks;
  m.details["block_threads"] = run.threads;
  m.details["launches_per_sample"] = run.launches_per_sample;
  m.details["loads_in_flight_per_thread"] = kernels::kStreamLoadsInFlight;
  m.details["l2_bytes"] = l2;
  m.details["free_bytes_before"] = free_bytes;
  m.details["concurrent_gpus"] = ctx.concurrency();
  if (size.raised_to_l2_multiple) m.details["note_size"] = "array_bytes raised to 8x L2";
  if (size.capped_by_memory) m.details["note_memory"] = "array size capped by free device memory";
  if (size.below_l2_multiple) m.details["warning"] = "arrays smaller than 8x L2: the cache may inflate the figure";
  if (!gate_ok) m.details["note_gate"] = "start gate timed out: this GPU started without the others";
  return m;
}

}  // namespace tranche::membw

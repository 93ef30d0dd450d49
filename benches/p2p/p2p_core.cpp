// Peer access, CE and SM copy bandwidth (uni/bidirectional), pointer-chase latency, and the p2p.* check body.
#include "benches/p2p/p2p_core.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "harness/core/duration_estimate.h"
#include "harness/core/partial_errors.h"
#include "harness/core/statistics.h"
#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_event.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/transfer.cuh"

namespace tranche::p2p {

namespace {

constexpr unsigned kSmCopyThreads = 512;
constexpr unsigned long long kStartFlagTimeoutNs = 10'000'000'000ull;
constexpr std::size_t kChainLinks = 8192;
constexpr std::size_t kChainStrideWords = 512;  // 4 KiB between links: one load per page, no shared lines

std::uint64_t seed_for(int src, int dst) {
  return 0x7E2B0000ull + static_cast<std::uint64_t>(src) * 1024 + static_cast<std::uint64_t>(dst);
}
std::uint64_t words_of(std::uint64_t bytes) { return std::max<std::uint64_t>(1, bytes / 8); }

// One direction of a transfer: source buffer and stream on src, destination buffer on dst.
struct Leg {
  int src, dst;
  std::uint64_t words;
  DeviceBuffer<std::uint64_t> src_buf, dst_buf;
  DeviceBuffer<unsigned long long> counter;  // on dst
  DeviceBuffer<unsigned> flag_timeout;       // on src
  std::unique_ptr<Stream> stream;            // on src
  std::unique_ptr<CudaEvent> start, stop;    // on src
  unsigned blocks = 0;

  Leg(int s, int d, std::uint64_t w, CopyMethod method) : src(s), dst(d), words(w) {
    set_device(dst);
    dst_buf = DeviceBuffer<std::uint64_t>(words);
    counter = DeviceBuffer<unsigned long long>(1);
    set_device(src);
    src_buf = DeviceBuffer<std::uint64_t>(words);
    flag_timeout = DeviceBuffer<unsigned>(1);
    stream = std::make_unique<Stream>();
    start = std::make_unique<CudaEvent>();
    stop = std::make_unique<CudaEvent>();
    TRANCHE_CUDA(cudaMemsetAsync(flag_timeout.data(), 0, sizeof(unsigned), stream->get()));
    TRANCHE_LAUNCH(kernels::pattern_fill(src_buf.data(), words, seed_for(src, dst), stream->get()));
    if (method == CopyMethod::sm) TRANCHE_CUDA(kernels::sm_copy_launch_config(src, kSmCopyThreads, &blocks));
  }
  cudaStream_t s() const { return stream->get(); }
  std::uint64_t bytes() const { return words * 8; }

  // Queues one copy on src's stream; the current device must be src.
  void issue(CopyMethod method) {
    if (method == CopyMethod::ce) {
      TRANCHE_CUDA(cudaMemcpyPeerAsync(dst_buf.data(), dst, src_buf.data(), src, bytes(), s()));
    } else {
      TRANCHE_LAUNCH(kernels::sm_copy(src_buf.data(), dst_buf.data(), bytes(), blocks, kSmCopyThreads, s()));
    }
  }
  void clear_destination(std::chrono::steady_clock::time_point deadline) {
    set_device(src);
    wait_stream(s(), deadline, "p2p warm-up");
    // A stream we wait on: the timed copies run on src's non-blocking stream, which would not order after a
    // legacy-stream cudaMemset on dst, and the clear must land before them.
    set_device(dst);
    Stream cs;
    TRANCHE_CUDA(cudaMemsetAsync(dst_buf.data(), 0, bytes(), cs.get()));
    wait_stream(cs.get(), deadline, "p2p clear destination");
  }
  std::uint64_t verify(std::chrono::steady_clock::time_point deadline) {
    set_device(src);
    wait_stream(s(), deadline, "p2p timed loop");
    set_device(dst);
    Stream vs;
    TRANCHE_CUDA(cudaMemsetAsync(counter.data(), 0, sizeof(unsigned long long), vs.get()));
    TRANCHE_LAUNCH(kernels::pattern_count_mismatches(dst_buf.data(), words, seed_for(src, dst), counter.data(), vs.get()));
    unsigned long long bad = 0;
    TRANCHE_CUDA(cudaMemcpyAsync(&bad, counter.data(), sizeof bad, cudaMemcpyDeviceToHost, vs.get()));
    wait_stream(vs.get(), deadline, "p2p verification");
    return bad;
  }
};

}  // namespace

std::vector<std::vector<bool>> peer_access_matrix(const std::vector<int>& gpus) {
  std::vector<std::vector<bool>> can(gpus.size(), std::vector<bool>(gpus.size(), false));
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    for (std::size_t j = 0; j < gpus.size(); ++j) {
      if (i == j) continue;
      int ok = 0;
      TRANCHE_CUDA(cudaDeviceCanAccessPeer(&ok, gpus[i], gpus[j]));
      can[i][j] = ok != 0;
    }
  }
  return can;
}

namespace {
// Enables access from `from` to `to`; true when this call turned it on.
bool enable_peer(int from, int to) {
  int can = 0;
  TRANCHE_CUDA(cudaDeviceCanAccessPeer(&can, from, to));
  if (!can) return false;
  set_device(from);
  const cudaError_t st = cudaDeviceEnablePeerAccess(to, 0);
  if (st == cudaErrorPeerAccessAlreadyEnabled) {
    cudaGetLastError();
    return false;
  }
  if (st != cudaSuccess) throw_cuda_error(st, "cudaDeviceEnablePeerAccess(to, 0)", __FILE__, __LINE__);
  return true;
}
void disable_peer(int from, int to) noexcept {
  if (cudaSetDevice(from) == cudaSuccess) cudaDeviceDisablePeerAccess(to);
  cudaGetLastError();
}
}  // namespace

PeerAccessGuard::PeerAccessGuard(int a, int b) : a_(a), b_(b) {
  enabled_ab_ = enable_peer(a, b);
  try {
    enabled_ba_ = enable_peer(b, a);
  } catch (...) {
    if (enabled_ab_) disable_peer(a, b);
    throw;
  }
}

PeerAccessGuard::~PeerAccessGuard() {
  if (enabled_ab_) disable_peer(a_, b_);
  if (enabled_ba_) disable_peer(b_, a_);
}

PairRun measure_unidir(int src, int dst, CopyMethod method, const P2pOptions& opt,
                       std::chrono::steady_clock::time_point deadline) {
  Leg leg(src, dst, words_of(opt.size_bytes), method);
  PairRun run;
  run.bytes_per_sample = leg.bytes();
  set_device(src);
  for (int i = 0; i < opt.warmup; ++i) leg.issue(method);
  leg.clear_destination(deadline);
  set_device(src);
  EventTimer timer;
  for (int i = 0; i < std::max(1, opt.samples); ++i) {
    timer.start(leg.s());
    leg.issue(method);
    timer.stop(leg.s());
    run.seconds.push_back(timer.elapsed_s(deadline));
  }
  run.mismatches = leg.verify(deadline);
  return run;
}

PairRun measure_bidir(int a, int b, CopyMethod method, const P2pOptions& opt,
                      std::chrono::steady_clock::time_point deadline) {
  const std::uint64_t words = words_of(opt.size_bytes);
  Leg ab(a, b, words, method), ba(b, a, words, method);
  PinnedBuffer<unsigned> flag(1, cudaHostAllocMapped | cudaHostAllocPortable);
  auto* host_flag = static_cast<volatile unsigned*>(flag.data());
  PairRun run;
  run.bytes_per_sample = ab.bytes() + ba.bytes();
  for (Leg* leg : {&ab, &ba}) {
    set_device(leg->src);
    for (int i = 0; i < opt.warmup; ++i) leg->issue(method);
  }
  ab.clear_destination(deadline);
  ba.clear_destination(deadline);
  for (int i = 0; i < std::max(1, opt.samples); ++i) {
    *host_flag = 0;
    for (Leg* leg : {&ab, &ba}) {
      set_device(leg->src);
      unsigned* dev_flag = nullptr;
      TRANCHE_CUDA(cudaHostGetDevicePointer(reinterpret_cast<void**>(&dev_flag), flag.data(), 0));
      TRANCHE_LAUNCH(kernels::spin_until_flag(dev_flag, kStartFlagTimeoutNs, leg->flag_timeout.data(), leg->s()));
      leg->start->record(leg->s());
      leg->issue(method);
      leg->stop->record(leg->s());
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
    *host_flag = 1;  // both GPUs leave their spin kernels together
    double slowest = 0.0;
    for (Leg* leg : {&ab, &ba}) {
      set_device(leg->src);
      slowest = std::max(slowest, event_seconds(*leg->start, *leg->stop, deadline));
    }
    run.seconds.push_back(slowest);
  }
  // A spin kernel that gave up waiting started its copy alone: the legs did not overlap and the summed figure
  // would be up to twice the truth. The flag is sticky, so one read after the loop covers every sample.
  for (Leg* leg : {&ab, &ba}) {
    set_device(leg->src);
    unsigned timed_out = 0;
    TRANCHE_CUDA(cudaMemcpyAsync(&timed_out, leg->flag_timeout.data(), sizeof timed_out, cudaMemcpyDeviceToHost,
                                 leg->s()));
    wait_stream(leg->s(), deadline, "p2p start flag");
    if (timed_out != 0) {
      ErrorInfo e;
      e.id = "E_TIMEOUT";
      e.api = "cuda";
      e.gpu = leg->src;
      e.message = "p2p bidir: GPU " + std::to_string(leg->src) + " did not see the host start flag within " +
                  std::to_string(kStartFlagTimeoutNs / 1'000'000'000ull) + " s; the two directions did not overlap";
      throw GpuError(e);
    }
  }
  run.mismatches = ab.verify(deadline) + ba.verify(deadline);
  return run;
}

PairRun measure_latency(int src, int dst, const P2pOptions& opt, std::chrono::steady_clock::time_point deadline) {
  const int samples = std::max(1, opt.samples);
  const std::uint64_t steps = std::max<std::uint64_t>(1, opt.latency_steps);
  set_device(dst);
  DeviceBuffer<std::uint64_t> chain(kChainLinks * kChainStrideWords);
  {
    Stream bs;
    TRANCHE_LAUNCH(kernels::pointer_chain_build(chain.data(), kChainLinks, kChainStrideWords, bs.get()));
    wait_stream(bs.get(), deadline, "p2p pointer chain");
  }
  set_device(src);
  DeviceBuffer<std::uint64_t> ends(static_cast<std::size_t>(samples) + 1);
  Stream stream;
  EventTimer timer;
  for (int i = 0; i < opt.warmup; ++i) {
    TRANCHE_LAUNCH(kernels::pointer_chase(chain.data(), steps, ends.data() + samples, stream.get()));
  }
  PairRun run;
  run.bytes_per_sample = steps;
  for (int i = 0; i < samples; ++i) {
    timer.start(stream.get());
    TRANCHE_LAUNCH(kernels::pointer_chase(chain.data(), steps, ends.data() + i, stream.get()));
    timer.stop(stream.get());
    run.seconds.push_back(timer.elapsed_s(deadline));
  }
  std::vector<std::uint64_t> got(static_cast<std::size_t>(samples));
  TRANCHE_CUDA(cudaMemcpyAsync(got.data(), ends.data(), got.size() * sizeof(std::uint64_t), cudaMemcpyDeviceToHost,
                               stream.get()));
  wait_stream(stream.get(), deadline, "p2p latency verification");
  const std::uint64_t expected = (steps % kChainLinks) * kChainStrideWords;
  for (std::uint64_t e : got) run.mismatches += e != expected;
  return run;
}

std::optional<std::string> p2p_not_applicable(const SystemInfo& system) {
  if (system.gpus.size() >= 2) return std::nullopt;
  return "needs at least 2 GPUs; this node has " + std::to_string(system.gpus.size());
}

namespace {
constexpr double kMaxCopyBytes = 68719476736.0;  // 64 GiB per buffer and direction
constexpr double kNominalPeerLoadS = 2e-6;      // one dependent load from a peer's memory

// Every ordered pair: copy-engine and SM copies of size_bytes, and the dependent-load latency chain.
double p2p_estimate_s(const nlohmann::json& p, int gpus) {
  const double pairs = gpus > 1 ? static_cast<double>(gpus) * (gpus - 1) : 0.0;
  const double reps = param_number(p, "warmup", 2) + param_number(p, "samples", 10);
  const double copies = 2 * reps * param_number(p, "size_bytes", 256ull << 20) / kNominalPeerBytesPerS;
  const double latency = reps * param_number(p, "latency_steps", 20000) * kNominalPeerLoadS;
  return kNominalSetupS + pairs * (copies + latency + 0.05);
}
}  // namespace

std::vector<ParamSpec> p2p_params() {
  return {
      {"size_bytes", std::int64_t{256} << 20, "B", "bytes per copy and direction (bandwidth tests)", 8,
       kMaxCopyBytes},
      {"samples", 10, "count", "timed samples per pair and method; the figure is their median", 1, 10000},
      {"warmup", 2, "count", "untimed repetitions first", 0, 1000},
      {"latency_steps", 20000, "count", "dependent peer loads per latency sample", 1, 100000000},
  };
}

CheckInfo p2p_check_info(P2pTest test, const std::string& summary) {
  CheckInfo info;
  info.scope = Scope::node;
  info.summary = summary;
  info.params = p2p_params();
  info.estimate_s = p2p_estimate_s;
  info.timeout_s = 600.0;
  info.order = 45;
  switch (test) {
    case P2pTest::unidir:
      info.id = "p2p.unidir";
      info.metrics = {"p2p.unidir/bandwidth", "p2p.unidir/peer_access", "p2p.unidir/mismatches"};
      break;
    case P2pTest::bidir:
      info.id = "p2p.bidir";
      info.metrics = {"p2p.bidir/bandwidth", "p2p.bidir/mismatches"};
      break;
    case P2pTest::latency:
      info.id = "p2p.latency";
      info.metrics = {"p2p.latency/latency", "p2p.latency/mismatches"};
      break;
  }
  return info;
}

namespace {

using Matrix = nlohmann::json;
Matrix null_matrix(std::size_t n) {
  Matrix m = nlohmann::json::array();
  for (std::size_t i = 0; i < n; ++i) m.push_back(nlohmann::json(std::vector<std::nullptr_t>(n, nullptr)));
  return m;
}

std::vector<double> rates(const PairRun& r) {
  std::vector<double> out;
  for (double t : r.seconds) {
    if (t > 0.0) out.push_back(static_cast<double>(r.bytes_per_sample) / t);
  }
  return out;
}

}  // namespace

Measurement run_p2p_check(RunContext& ctx, P2pTest test) {
  Measurement m;
  m.check_id = p2p_check_info(test, "").id;
  const std::vector<int>& gpus = ctx.gpus();
  const std::size_t n = gpus.size();
  if (n < 2) {
    m.status = MeasurementStatus::skipped;
    m.required = false;
    m.reason = "needs at least 2 GPUs; " + std::to_string(n) + (n == 1 ? " GPU is" : " GPUs are") + " selected";
    return m;
  }
  P2pOptions opt;
  const std::int64_t size = ctx.param_int("size_bytes"), samples = ctx.param_int("samples"),
                     warmup = ctx.param_int("warmup"), steps = ctx.param_int("latency_steps");
  if (size < 8) throw InputError("check parameter 'size_bytes' must be at least 8");
  if (samples < 1 || samples > 10000) throw InputError("check parameter 'samples' must be in 1..10000");
  if (warmup < 0 || warmup > 1000) throw InputError("check parameter 'warmup' must be in 0..1000");
  if (steps < 1) throw InputError("check parameter 'latency_steps' must be at least 1");
  opt.size_bytes = static_cast<std::uint64_t>(size);
  opt.samples = static_cast<int>(samples);
  opt.warmup = static_cast<int>(warmup);
  opt.latency_steps = static_cast<std::uint64_t>(steps);

  const std::vector<std::vector<bool>> access = peer_access_matrix(gpus);
  Matrix peer = null_matrix(n), ce = null_matrix(n), sm = null_matrix(n), lat = null_matrix(n);
  std::vector<std::uint64_t> bad(n, 0);
  // One pair's failure (a bad NVLink, a sticky error on one GPU) costs only that pair; the entry names both GPUs.
  GpuIsolation iso;
  const auto deadline = ctx.deadline();
  auto emit = [&](const char* quantity, const std::vector<double>& v, const char* unit, std::size_t i, std::size_t j,
                  const char* method) -> std::optional<double> {
    Metric& mm = v.empty() ? m.add_metric(quantity, std::nullopt, unit) : m.add_median_metric(quantity, v, unit);
    mm.device = gpus[i];
    mm.labels["peer"] = std::to_string(gpus[j]);
    if (method) mm.labels["method"] = method;
    return mm.value;
  };
  auto json_of = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };

  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const bool ok = access[i][j], both = ok && access[j][i];
      peer[i][j] = ok;
      ctx.check_deadline("p2p matrix");
      if (test == P2pTest::unidir) {
        m.add_metric("peer_access", ok ? 1.0 : 0.0, "bool").device = gpus[i];
        m.metrics.back().labels["peer"] = std::to_string(gpus[j]);
        PairRun r_ce, r_sm;
        if (ok) {
          iso.attempt(gpus[i], gpus[j], [&] {
            PeerAccessGuard guard(gpus[i], gpus[j]);
            r_ce = measure_unidir(gpus[i], gpus[j], CopyMethod::ce, opt, deadline);
            r_sm = measure_unidir(gpus[i], gpus[j], CopyMethod::sm, opt, deadline);
          });
          bad[i] += r_ce.mismatches + r_sm.mismatches;
        }
        ce[i][j] = json_of(emit("bandwidth", rates(r_ce), "B/s", i, j, "ce"));
        sm[i][j] = json_of(emit("bandwidth", rates(r_sm), "B/s", i, j, "sm"));
      } else if (test == P2pTest::bidir && i < j) {
        PairRun r_ce, r_sm;
        if (both) {
          iso.attempt(gpus[i], gpus[j], [&] {
            PeerAccessGuard guard(gpus[i], gpus[j]);
            r_ce = measure_bidir(gpus[i], gpus[j], CopyMethod::ce, opt, deadline);
            r_sm = measure_bidir(gpus[i], gpus[j], CopyMethod::sm, opt, deadline);
          });
          bad[i] += r_ce.mismatches + r_sm.mismatches;
        }
        ce[i][j] = ce[j][i] = json_of(emit("bandwidth", rates(r_ce), "B/s", i, j, "ce"));
        sm[i][j] = sm[j][i] = json_of(emit("bandwidth", rates(r_sm), "B/s", i, j, "sm"));
      } else if (test == P2pTest::latency) {
        std::vector<double> per_load;
        if (ok) {
          iso.attempt(gpus[i], gpus[j], [&] {
            PeerAccessGuard guard(gpus[i], gpus[j]);
            const PairRun r = measure_latency(gpus[i], gpus[j], opt, deadline);
            for (double t : r.seconds) per_load.push_back(t / static_cast<double>(r.bytes_per_sample));
            bad[i] += r.mismatches;
          });
        }
        lat[i][j] = json_of(emit("latency", per_load, "s", i, j, nullptr));
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) m.add_metric("mismatches", static_cast<double>(bad[i]), "count").device = gpus[i];
  iso.write(m);

  m.details["gpus"] = gpus;
  m.details["peer_access"] = peer;
  if (test == P2pTest::unidir) {
    m.details["ce_unidir_Bps"] = ce;
    m.details["sm_unidir_Bps"] = sm;
  } else if (test == P2pTest::bidir) {
    m.details["ce_bidir_Bps"] = ce;
    m.details["sm_bidir_Bps"] = sm;
    m.details["note"] = "bidir: both directions at once, summed; each direction issued by its source GPU";
  } else {
    m.details["latency_s"] = lat;
    m.details["note"] = "one thread chasing a pointer chain in the peer's memory (4 KiB stride, 32 MiB chain)";
  }
  m.details["size_bytes"] = words_of(opt.size_bytes) * 8;
  m.details["rows"] = "row = source GPU (position in gpus), column = peer; null: diagonal or no peer access";
  return m;
}

}  // namespace tranche::p2p

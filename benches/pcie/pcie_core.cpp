// measure_transfer and the pcie.* check body: NUMA-local pinned buffers, event-timed copies, link sampling,
// pattern verification, and the alone / all-GPUs phases.
#include "benches/pcie/pcie_core.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "benches/pcie/pcie_overlap.h"
#include "harness/core/duration_estimate.h"
#include "harness/core/partial_errors.h"
#include "harness/core/start_gate.h"
#include "harness/core/statistics.h"
#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_event.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/host_numa.h"
#include "harness/gpu/stream.h"
#include "kernels/transfer.cuh"

namespace tranche::pcie {

namespace {

std::uint64_t seed_for(int device, int lane) { return 0x9C1E5EEDull + static_cast<std::uint64_t>(device) * 16 + lane; }

void host_fill(std::uint64_t* p, std::size_t words, std::uint64_t seed) {
  for (std::size_t i = 0; i < words; ++i) p[i] = kernels::pattern_word(seed, i);
}

std::uint64_t host_count_mismatches(const std::uint64_t* p, std::size_t words, std::uint64_t seed) {
  std::uint64_t bad = 0;
  for (std::size_t i = 0; i < words; ++i) bad += p[i] != kernels::pattern_word(seed, i);
  return bad;
}

nlohmann::json opt_json(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

int host_numa_node(int device, const std::string& pci_bus_id) {
  if (auto n = read_pci_numa_node(pci_bus_id)) return *n;
  int node = -1;
  if (cudaDeviceGetAttribute(&node, cudaDevAttrHostNumaId, device) != cudaSuccess) {
    cudaGetLastError();
    return -1;
  }
  return node;
}

namespace {

// Seconds from `ref` to `e`, both complete and on the same device (cudaEventElapsedTime allows two streams).
double offset_s(const CudaEvent& ref, const CudaEvent& e) {
  float ms = 0.f;
  TRANCHE_CUDA(cudaEventElapsedTime(&ms, ref.get(), e.get()));
  return static_cast<double>(ms) * 1e-3;
}

std::vector<std::unique_ptr<CudaEvent>> make_events(std::size_t n) {
  std::vector<std::unique_ptr<CudaEvent>> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(std::make_unique<CudaEvent>());
  return out;
}

}  // namespace

TransferRun measure_transfer(int device, const std::string& pci_bus_id, Direction dir, const TransferOptions& opt,
                             std::chrono::steady_clock::time_point deadline, const GpuClockStart* gpu_start) {
  set_device(device);
  const std::uint64_t size = round_transfer_size(opt.size_bytes);
  const std::size_t words = size / kPatternWordBytes;
  const bool up = dir != Direction::d2h;    // host -> device leg
  const bool down = dir != Direction::h2d;  // device -> host leg
  const bool bidir = up && down;
  const int samples = std::max(1, opt.samples);
  // bidir: each leg in chunks, an event after each (pcie_overlap.h); one direction: one copy.
  const std::vector<std::uint64_t> chunks = bidir ? chunk_sizes(size) : std::vector<std::uint64_t>{size};

  TransferRun run;
  run.bytes_per_sample = transfer_bytes(dir, size);
  run.numa_node = host_numa_node(device, pci_bus_id);
  NumaPinnedBuffer host_src(up ? size : 0, run.numa_node), host_dst(down ? size : 0, run.numa_node);
  const NumaPinnedBuffer& shown = up ? host_src : host_dst;
  run.host_memory = shown.method();
  run.host_note = shown.note();
  DeviceBuffer<std::uint64_t> dev_dst(up ? words : 0), dev_src(down ? words : 0);
  DeviceBuffer<unsigned long long> counter(1);
  DeviceBuffer<unsigned> spin_timed_out(gpu_start ? 1 : 0);
  unsigned* dev_flag = nullptr;
  if (gpu_start) {
    TRANCHE_CUDA(cudaHostGetDevicePointer(reinterpret_cast<void**>(&dev_flag), gpu_start->host_flag, 0));
  }
  Stream s_up, s_down;
  CudaEvent start, down_begin, down_done, stop;
  const auto up_ends = make_events(bidir ? chunks.size() : 0), down_ends = make_events(bidir ? chunks.size() : 0);

  const std::uint64_t seed_up = seed_for(device, 0), seed_down = seed_for(device, 1);
  if (up) host_fill(static_cast<std::uint64_t*>(host_src.data()), words, seed_up);
  if (down) TRANCHE_LAUNCH(kernels::pattern_fill(dev_src.data(), words, seed_down, s_down.get()));

  // One sample: both legs start at `start` on s_up; s_up waits for the D2H leg before `stop`.
  auto enqueue = [&] {
    start.record(s_up.get());
    if (down) {
      TRANCHE_CUDA(cudaStreamWaitEvent(s_down.get(), start.get(), 0));
      down_begin.record(s_down.get());
      std::uint64_t off = 0;
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        TRANCHE_CUDA(cudaMemcpyAsync(static_cast<unsigned char*>(host_dst.data()) + off,
                                     reinterpret_cast<const unsigned char*>(dev_src.data()) + off, chunks[k],
                                     cudaMemcpyDeviceToHost, s_down.get()));
        if (bidir) down_ends[k]->record(s_down.get());
        off += chunks[k];
      }
      down_done.record(s_down.get());
    }
    if (up) {
      std::uint64_t off = 0;
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        TRANCHE_CUDA(cudaMemcpyAsync(reinterpret_cast<unsigned char*>(dev_dst.data()) + off,
                                     static_cast<const unsigned char*>(host_src.data()) + off, chunks[k],
                                     cudaMemcpyHostToDevice, s_up.get()));
        if (bidir) up_ends[k]->record(s_up.get());
        off += chunks[k];
      }
    }
    if (down) TRANCHE_CUDA(cudaStreamWaitEvent(s_up.get(), down_done.get(), 0));
    stop.record(s_up.get());
  };

  // Once `stop` has completed, so has every event of the sample: its figure.
  auto record_sample = [&](double seconds) {
    run.seconds.push_back(seconds);
    if (!bidir) {
      if (seconds > 0) run.bandwidth_Bps.push_back(static_cast<double>(run.bytes_per_sample) / seconds);
      return;
    }
    DirectionTimeline h2d{{0.0}, chunks}, d2h{{offset_s(start, down_begin)}, chunks};
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      h2d.boundaries_s.push_back(offset_s(start, *up_ends[k]));
      d2h.boundaries_s.push_back(offset_s(start, *down_ends[k]));
    }
    if (const auto r = overlap_rate(h2d, d2h)) {
      run.bandwidth_Bps.push_back(r->bidir_Bps());
      if (r->sample_s > 0) run.overlap_share.push_back(r->window_s / r->sample_s);
    } else {
      ++run.samples_without_overlap;
    }
  };

  wait_stream(s_down.get(), deadline, "pattern fill");
  for (int i = 0; i < opt.warmup; ++i) enqueue();
  wait_stream(s_up.get(), deadline, "PCIe warm-up");
  // Clear the destinations so the check after the loop attests to the timed copies, not the warm-up.
  if (up) TRANCHE_CUDA(cudaMemsetAsync(dev_dst.data(), 0, size, s_up.get()));
  if (down) std::memset(host_dst.data(), 0, size);
  wait_stream(s_up.get(), deadline, "clear destination");

  {
    PcieLinkSampler sampler(device, pci_bus_id);
    if (gpu_start) TRANCHE_CUDA(cudaMemsetAsync(spin_timed_out.data(), 0, sizeof(unsigned), s_up.get()));
    try {
      for (int i = 0; i < samples; ++i) {
        const auto sample = static_cast<unsigned>(i + 1);
        if (gpu_start) {
          // s_up: spin until the counter releases `sample`, mark this GPU ready, then wait until every other GPU
          // is ready too; `start` (recorded by enqueue) and so both legs come after the last spin kernel exits.
          TRANCHE_LAUNCH(kernels::spin_until_flag_reaches(dev_flag, sample, gpu_start->max_spin_ns,
                                                          spin_timed_out.data(), s_up.get()));
          TRANCHE_CUDA(cudaEventRecord(gpu_start->ready, s_up.get()));
          gpu_start->ready_recorded(sample);
          for (cudaEvent_t other : gpu_start->others_ready) {
            TRANCHE_CUDA(cudaStreamWaitEvent(s_up.get(), other, 0));
          }
        }
        enqueue();
        if (gpu_start) gpu_start->enqueued(sample);
        record_sample(event_seconds(start, stop, deadline));
      }
    } catch (...) {
      // Leave the phase before this frame's buffers are freed: cudaFree waits for this GPU's spin kernel, which
      // exits only when the others raise the counter, and they must not wait at a gate for this GPU meanwhile.
      if (gpu_start && gpu_start->leave) gpu_start->leave();
      throw;
    }
    run.link = sampler.stop();
  }

  if (gpu_start) {
    unsigned timed_out = 0;
    TRANCHE_CUDA(
        cudaMemcpyAsync(&timed_out, spin_timed_out.data(), sizeof timed_out, cudaMemcpyDeviceToHost, s_up.get()));
    wait_stream(s_up.get(), deadline, "PCIe start flag");
    if (timed_out != 0) {
      ErrorInfo e;
      e.id = "E_TIMEOUT";
      e.api = "cuda";
      e.gpu = device;
      e.message = "pcie all_gpus: GPU " + std::to_string(device) + " did not see the start counter within " +
                  std::to_string(gpu_start->max_spin_ns / 1'000'000'000ull) + " s; it did not start with the others";
      throw GpuError(e);
    }
  }
  if (up) {
    TRANCHE_CUDA(cudaMemsetAsync(counter.data(), 0, sizeof(unsigned long long), s_up.get()));
    TRANCHE_LAUNCH(kernels::pattern_count_mismatches(dev_dst.data(), words, seed_up, counter.data(), s_up.get()));
    unsigned long long bad = 0;
    TRANCHE_CUDA(cudaMemcpyAsync(&bad, counter.data(), sizeof bad, cudaMemcpyDeviceToHost, s_up.get()));
    wait_stream(s_up.get(), deadline, "H2D verification");
    run.mismatches += bad;
  }
  if (down) {
    run.mismatches += host_count_mismatches(static_cast<const std::uint64_t*>(host_dst.data()), words, seed_down);
  }
  return run;
}

std::optional<std::string> pcie_not_applicable(const SystemInfo& system) {
  if (!system.gpus.empty()) return std::nullopt;
  std::string why = "no GPU to run on";
  if (system.device_error) why += " (" + system.device_error->id + ": " + system.device_error->message + ")";
  return why;
}

namespace {
constexpr double kMaxTransferBytes = 68719476736.0;  // 64 GiB per pinned host buffer and direction

// Each GPU alone, one after another, then (all_gpus) every GPU at once sharing the host's links.
double pcie_estimate_s(const nlohmann::json& p, int gpus) {
  const double one = (param_number(p, "warmup", 2) + param_number(p, "samples", 10)) *
                     param_number(p, "size_bytes", 256ull << 20) / kNominalPcieBytesPerS;
  const auto all = p.find("all_gpus");
  const bool together = all == p.end() || !all->is_boolean() || all->get<bool>();
  return kNominalSetupS + std::max(gpus, 1) * (one + 0.2) + (together ? one * std::max(gpus, 1) / 2.0 : 0.0);
}
}  // namespace

std::vector<ParamSpec> pcie_params() {
  return {
      {"size_bytes", std::int64_t{256} << 20, "B", "bytes per transfer and direction (rounded down to 8 B)", 8,
       kMaxTransferBytes},
      {"samples", 10, "count", "timed transfers per GPU and phase; the figure is their median", 1, 10000},
      {"warmup", 2, "count", "untimed transfers first", 0, 1000},
      {"all_gpus", true, "", "after each GPU alone, run all selected GPUs at once (shared switch / root port)"},
      start_gate_timeout_param(),
  };
}

CheckInfo pcie_check_info(Direction dir, const std::string& summary) {
  const std::string id = "pcie." + std::string(to_string(dir));
  CheckInfo info;
  info.id = id;
  info.summary = summary;
  info.scope = Scope::node;
  info.params = pcie_params();
  info.estimate_s = pcie_estimate_s;
  info.metrics = {id + "/bandwidth", id + "/aggregate_bandwidth", id + "/link_generation", id + "/link_width",
                  id + "/mismatches"};
  info.timeout_s = 300.0;
  info.order = 40;
  return info;
}

namespace {

// Runs the GPUs at `which` (indices into ctx.gpus()) at once, one thread each (each thread's CUDA last-error state
// and sticky errors stay its GPU's own); every sample starts on the GPU clock (GpuClockStart). A GPU that fails, or
// reaches a gate after the others waited start_gate_timeout_s, is recorded in `iso`; ok[i] says which GPUs measured.
std::vector<TransferRun> run_all_gpus(RunContext& ctx, const std::vector<std::string>& bus_ids, Direction dir,
                                      const TransferOptions& opt, const std::vector<std::size_t>& which,
                                      GpuIsolation& iso, std::vector<bool>& ok) {
  const auto& gpus = ctx.gpus();
  std::vector<TransferRun> runs(gpus.size());
  // The ready events live as long as the phase: another GPU's stream may still wait for one when its own thread has
  // ended (cudaEventDestroy of a pending event returns at once; the driver frees it when it completes).
  std::vector<std::unique_ptr<CudaEvent>> ready(gpus.size());
  std::vector<std::size_t> present;
  for (std::size_t i : which) {
    const bool made = iso.attempt(gpus[i], std::nullopt, [&] {
      set_device(gpus[i]);
      ready[i] = std::make_unique<CudaEvent>(cudaEventDisableTiming);
    });
    if (made) present.push_back(i);
  }
  if (present.empty()) return runs;
  const double gate_s = ctx.start_gate_timeout_s();
  PinnedBuffer<unsigned> flag(1, cudaHostAllocMapped | cudaHostAllocPortable);
  *static_cast<volatile unsigned*>(flag.data()) = 0;
  std::mutex flag_mu;
  StartGate gate(static_cast<int>(present.size()));
  std::vector<std::exception_ptr> errors(gpus.size());
  std::vector<std::thread> threads;
  for (std::size_t i : present) {
    threads.emplace_back([&, i] {
      long round = 0;
      // Both host waits of a sample are bounded by the gate's own wait, so a stalled GPU costs the others at most
      // start_gate_timeout_s; a GPU that arrives after the others left without it fails alone.
      auto arrive = [&](unsigned sample, const char* what) {
        const auto wait =
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(gate_s));
        const GateArrival a =
            gate.arrive_and_wait(round, std::min(ctx.deadline(), std::chrono::steady_clock::now() + wait));
        if (a != GateArrival::late) return;
        ErrorInfo e;
        e.id = "E_START_GATE_TIMEOUT";
        e.gpu = gpus[i];
        e.message = "pcie all_gpus: GPU " + std::to_string(gpus[i]) + " " + what + " sample " + std::to_string(sample) +
                    " after the other GPUs had waited " + std::to_string(gate_s) + " s and started without it";
        throw GpuError(e);  // its spin kernel is released anyway: the others raise the counter to `sample`
      };
      GpuClockStart start;
      start.host_flag = flag.data();
      // The counter rises at most two gate waits after a spin kernel is enqueued.
      start.max_spin_ns = static_cast<unsigned long long>((2.0 * gate_s + 5.0) * 1e9);
      start.ready = ready[i]->get();
      for (std::size_t j : present) {
        if (j != i) start.others_ready.push_back(ready[j]->get());
      }
      start.ready_recorded = [&](unsigned sample) { arrive(sample, "recorded its ready event for"); };
      start.enqueued = [&](unsigned sample) {
        arrive(sample, "enqueued");
        // Every GPU present has enqueued `sample`: release it. The counter only rises.
        std::lock_guard lock(flag_mu);
        auto* f = static_cast<volatile unsigned*>(flag.data());
        if (*f < sample) *f = sample;
      };
      bool left = false;
      start.leave = [&] {
        if (!left) gate.leave(round);
        left = true;
      };
      try {
        runs[i] = measure_transfer(gpus[i], bus_ids[i], dir, opt, ctx.deadline(), &start);
      } catch (...) {
        errors[i] = std::current_exception();
      }
      start.leave();
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i : present) {
    ok[i] = iso.attempt(gpus[i], std::nullopt, [&] {
      if (errors[i]) std::rethrow_exception(errors[i]);
    });
  }
  return runs;
}

}  // namespace

Measurement run_pcie_check(RunContext& ctx, Direction dir) {
  Measurement m;
  m.check_id = "pcie." + std::string(to_string(dir));
  TransferOptions opt;
  const std::int64_t size = ctx.param_int("size_bytes");
  const std::int64_t samples = ctx.param_int("samples");
  const std::int64_t warmup = ctx.param_int("warmup");
  if (size < 8) throw InputError("check parameter 'size_bytes' must be at least 8");
  if (samples < 1 || samples > 10000) throw InputError("check parameter 'samples' must be in 1..10000");
  if (warmup < 0 || warmup > 1000) throw InputError("check parameter 'warmup' must be in 0..1000");
  opt.size_bytes = static_cast<std::uint64_t>(size);
  opt.samples = static_cast<int>(samples);
  opt.warmup = static_cast<int>(warmup);
  const bool all_gpus = ctx.param_bool("all_gpus");

  const auto& gpus = ctx.gpus();
  if (gpus.empty()) {
    m.status = MeasurementStatus::skipped;
    m.reason = "no GPU selected";
    return m;
  }
  std::vector<std::string> bus_ids;
  for (int g : gpus) {
    const GpuInfo* info = ctx.system().gpu(g);
    bus_ids.push_back(info ? info->pci_bus_id : std::string());
  }

  // One GPU's failure costs only that GPU's figures; a GPU with a sticky error is left out of the all-GPU phase.
  GpuIsolation iso;
  std::vector<TransferRun> alone(gpus.size());
  std::vector<bool> ok_alone(gpus.size(), false), ok_all(gpus.size(), false);
  std::vector<std::size_t> live;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    ctx.check_deadline("pcie phase alone");
    ok_alone[i] = iso.attempt(gpus[i], std::nullopt,
                              [&] { alone[i] = measure_transfer(gpus[i], bus_ids[i], dir, opt, ctx.deadline()); });
    if (!iso.dead_reason(gpus[i])) live.push_back(i);
  }
  std::vector<TransferRun> together(gpus.size());
  if (all_gpus) together = run_all_gpus(ctx, bus_ids, dir, opt, live, iso, ok_all);

  nlohmann::json per_gpu = nlohmann::json::array();
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const int g = gpus[i];
    if (!ok_alone[i] && !ok_all[i]) {
      per_gpu.push_back({{"gpu", g}, {"pci_bus_id", bus_ids[i]}, {"error", "see details.errors"}});
      continue;  // its error entry is its verdict; no figures, and no zero-mismatch claim it did not earn
    }
    PcieLinkState link = alone[i].link;
    std::uint64_t bad = alone[i].mismatches;
    const auto& bw_alone = alone[i].bandwidth_Bps;
    nlohmann::json row = {{"gpu", g},
                          {"pci_bus_id", bus_ids[i]},
                          {"numa_node", alone[i].numa_node},
                          {"host_memory", alone[i].host_memory},
                          {"host_note", alone[i].host_note}};
    if (!bw_alone.empty()) {
      Metric& mm = m.add_median_metric("bandwidth", bw_alone, "B/s");
      mm.device = g;
      mm.labels["phase"] = "alone";
      row["alone_Bps"] = *mm.value;
    }
    if (ok_all[i]) {
      const auto& bw_all = together[i].bandwidth_Bps;
      if (!bw_all.empty()) {
        Metric& mm = m.add_median_metric("bandwidth", bw_all, "B/s");
        mm.device = g;
        mm.labels["phase"] = "all_gpus";
        row["all_gpus_Bps"] = *mm.value;
        if (row.contains("alone_Bps")) row["all_gpus_over_alone"] = *mm.value / row["alone_Bps"].get<double>();
      }
      bad += together[i].mismatches;
      if (together[i].link.generation > link.generation) link.generation = together[i].link.generation;
      if (together[i].link.width > link.width) link.width = together[i].link.width;
    }
    m.add_metric("link_generation", link.generation ? std::optional<double>(*link.generation) : std::nullopt, "count")
        .device = g;
    m.add_metric("link_width", link.width ? std::optional<double>(*link.width) : std::nullopt, "count").device = g;
    m.add_metric("mismatches", static_cast<double>(bad), "count").device = g;
    row["link"] = {{"generation", opt_json(link.generation)},
                   {"width", opt_json(link.width)},
                   {"max_generation", opt_json(link.max_generation)},
                   {"max_width", opt_json(link.max_width)},
                   {"source", link.source},
                   {"note", link.note}};
    if (link.generation && link.width) {
      if (auto e = expected_bandwidth_Bps(*link.generation, *link.width)) {
        row["link_payload_Bps"] = *e;  // one direction; bidir can reach twice this
        if (row.contains("alone_Bps")) {
          row["alone_over_link"] = row["alone_Bps"].get<double>() / (*e * (dir == Direction::bidir ? 2.0 : 1.0));
        }
      }
    }
    if (dir == Direction::bidir) {
      // How much of each sample both directions shared, and samples that gave no figure (pcie_overlap.h).
      auto overlap = [](const TransferRun& r) {
        return nlohmann::json{
            {"median_window_share",
             r.overlap_share.empty() ? nlohmann::json(nullptr) : nlohmann::json(median(r.overlap_share))},
            {"samples_without_figure", r.samples_without_overlap}};
      };
      row["overlap"] = {{"alone", overlap(alone[i])}};
      if (ok_all[i]) row["overlap"]["all_gpus"] = overlap(together[i]);
    }
    per_gpu.push_back(row);
  }

  if (all_gpus) {
    // Per sample: no GPU's copies began before every GPU's spin kernel had exited (cross-device event waits), so
    // the node moved all bytes in the longest GPU interval, first copy's start to last copy's end, each on its own
    // GPU's clock (intervals can start apart by the cross-device event latency only). bidir included: this is the
    // node's figure until every transfer ended, not the overlap figure of bandwidth.
    std::vector<double> agg;
    for (std::size_t k = 0; k < static_cast<std::size_t>(opt.samples); ++k) {
      double slowest = 0.0, bytes = 0.0;
      for (std::size_t i = 0; i < together.size(); ++i) {
        const TransferRun& r = together[i];
        if (!ok_all[i] || k >= r.seconds.size()) continue;
        slowest = std::max(slowest, r.seconds[k]);
        bytes += static_cast<double>(r.bytes_per_sample);
      }
      if (slowest > 0.0) agg.push_back(bytes / slowest);
    }
    if (!agg.empty()) m.add_median_metric("aggregate_bandwidth", agg, "B/s").labels["phase"] = "all_gpus";
  }
  m.details["size_bytes"] = round_transfer_size(opt.size_bytes);
  m.details["bytes_per_sample"] = transfer_bytes(dir, round_transfer_size(opt.size_bytes));
  m.details["method"] = "cudaMemcpyAsync on copy engines, pinned host memory on the GPU's NUMA node";
  m.details["per_gpu"] = per_gpu;
  m.details["all_gpus_start"] =
      "per sample, a spin kernel on each GPU released by one host-mapped counter, then every GPU's stream waits for "
      "every other GPU's ready event (cross-device cudaStreamWaitEvent) before its copies";
  if (dir == Direction::bidir) {
    m.details["bidir_timing"] = "each direction as " +
                                std::to_string(chunk_sizes(round_transfer_size(opt.size_bytes)).size()) +
                                " back-to-back copies with an event after each; bandwidth = sum over directions of "
                                "the bytes of the copies inside the window both ran, over their span";
  }
  iso.write(m);
  return m;
}

}  // namespace tranche::pcie

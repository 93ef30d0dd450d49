// measure_transfer and the pcie.* check body: NUMA-local pinned buffers, event-timed copies, link sampling,
// pattern verification, and the alone / all-GPUs phases.
#include "benches/pcie/pcie_core.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>

#include "harness/core/start_gate.h"
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

TransferRun measure_transfer(int device, const std::string& pci_bus_id, Direction dir, const TransferOptions& opt,
                             std::chrono::steady_clock::time_point deadline,
                             const std::function<void()>& before_sample) {
  set_device(device);
  const std::uint64_t size = round_transfer_size(opt.size_bytes);
  const std::size_t words = size / kPatternWordBytes;
  const bool up = dir != Direction::d2h;    // host -> device leg
  const bool down = dir != Direction::h2d;  // device -> host leg
  const int samples = std::max(1, opt.samples);

  TransferRun run;
  run.bytes_per_sample = transfer_bytes(dir, size);
  run.numa_node = host_numa_node(device, pci_bus_id);
  NumaPinnedBuffer host_src(up ? size : 0, run.numa_node), host_dst(down ? size : 0, run.numa_node);
  const NumaPinnedBuffer& shown = up ? host_src : host_dst;
  run.host_memory = shown.method();
  run.host_note = shown.note();
  DeviceBuffer<std::uint64_t> dev_dst(up ? words : 0), dev_src(down ? words : 0);
  DeviceBuffer<unsigned long long> counter(1);
  Stream s_up, s_down;
  CudaEvent start, down_done, stop;

  const std::uint64_t seed_up = seed_for(device, 0), seed_down = seed_for(device, 1);
  if (up) host_fill(static_cast<std::uint64_t*>(host_src.data()), words, seed_up);
  if (down) TRANCHE_LAUNCH(kernels::pattern_fill(dev_src.data(), words, seed_down, s_down.get()));

  // One sample: both legs start at `start` on s_up; s_up waits for the D2H leg before `stop`.
  auto enqueue = [&] {
    start.record(s_up.get());
    if (down) {
      TRANCHE_CUDA(cudaStreamWaitEvent(s_down.get(), start.get(), 0));
      TRANCHE_CUDA(cudaMemcpyAsync(host_dst.data(), dev_src.data(), size, cudaMemcpyDeviceToHost, s_down.get()));
      down_done.record(s_down.get());
    }
    if (up) {
      TRANCHE_CUDA(cudaMemcpyAsync(dev_dst.data(), host_src.data(), size, cudaMemcpyHostToDevice, s_up.get()));
    }
    if (down) TRANCHE_CUDA(cudaStreamWaitEvent(s_up.get(), down_done.get(), 0));
    stop.record(s_up.get());
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
    for (int i = 0; i < samples; ++i) {
      if (before_sample) before_sample();
      enqueue();
      run.seconds.push_back(event_seconds(start, stop, deadline));
    }
    run.link = sampler.stop();
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

std::vector<ParamSpec> pcie_params() {
  return {
      {"size_bytes", std::int64_t{256} << 20, "B", "bytes per transfer and direction (rounded down to 8 B)"},
      {"samples", 10, "count", "timed transfers per GPU and phase; the figure is their median"},
      {"warmup", 2, "count", "untimed transfers first"},
      {"all_gpus", true, "", "after each GPU alone, run all selected GPUs at once (shared switch / root port)"},
  };
}

CheckInfo pcie_check_info(Direction dir, const std::string& summary) {
  const std::string id = "pcie." + std::string(to_string(dir));
  CheckInfo info;
  info.id = id;
  info.summary = summary;
  info.scope = Scope::node;
  info.params = pcie_params();
  info.metrics = {id + "/bandwidth", id + "/aggregate_bandwidth", id + "/link_generation", id + "/link_width",
                  id + "/mismatches"};
  info.timeout_s = 300.0;
  info.order = 40;
  return info;
}

namespace {

std::vector<double> bandwidths(const TransferRun& r) {
  std::vector<double> out;
  for (double t : r.seconds) {
    if (t > 0.0) out.push_back(static_cast<double>(r.bytes_per_sample) / t);
  }
  return out;
}

// Runs every GPU at once, one thread each, all passing one start gate before every sample.
std::vector<TransferRun> run_all_gpus(RunContext& ctx, const std::vector<std::string>& bus_ids, Direction dir,
                                      const TransferOptions& opt) {
  const auto& gpus = ctx.gpus();
  StartGate gate(static_cast<int>(gpus.size()));
  std::vector<TransferRun> runs(gpus.size());
  std::vector<std::exception_ptr> errors(gpus.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        runs[i] = measure_transfer(gpus[i], bus_ids[i], dir, opt, ctx.deadline(),
                                   [&] { gate.arrive_and_wait(ctx.deadline()); });
      } catch (...) {
        errors[i] = std::current_exception();
      }
      gate.leave();
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
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

  std::vector<TransferRun> alone;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    ctx.check_deadline("pcie phase alone");
    alone.push_back(measure_transfer(gpus[i], bus_ids[i], dir, opt, ctx.deadline()));
  }
  std::vector<TransferRun> together;
  if (all_gpus) together = run_all_gpus(ctx, bus_ids, dir, opt);

  nlohmann::json per_gpu = nlohmann::json::array();
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const int g = gpus[i];
    PcieLinkState link = alone[i].link;
    std::uint64_t bad = alone[i].mismatches;
    const auto bw_alone = bandwidths(alone[i]);
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
    if (all_gpus) {
      const auto bw_all = bandwidths(together[i]);
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
    per_gpu.push_back(row);
  }

  if (all_gpus) {
    // Per sample: every GPU started at the gate, so the node moved all bytes in the slowest GPU's time.
    std::vector<double> agg;
    for (std::size_t k = 0; k < static_cast<std::size_t>(opt.samples); ++k) {
      double slowest = 0.0, bytes = 0.0;
      for (const auto& r : together) {
        if (k >= r.seconds.size()) continue;
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
  return m;
}

}  // namespace tranche::pcie

// The shared host<->device procedure behind pcie.h2d, pcie.d2h and pcie.bidir: each GPU alone, then all at once.
#pragma once
#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "benches/pcie/pcie_math.h"
#include "harness/core/check.h"
#include "harness/gpu/pcie_link_probe.h"

namespace tranche::pcie {

struct TransferOptions {
  std::uint64_t size_bytes = 256ull << 20;  // per direction; rounded with round_transfer_size
  int samples = 10;
  int warmup = 2;
};

struct TransferRun {
  std::vector<double> bandwidth_Bps;  // per timed sample: bytes_per_sample / seconds; bidir: overlap_rate's sum
  std::vector<double> seconds;        // per timed sample: first copy's start to last copy's end (GPU clock)
  std::vector<double> overlap_share;  // bidir: per sample with a figure, overlap window / seconds
  int samples_without_overlap = 0;    // bidir samples whose window held no whole copy of a direction (no figure)
  std::uint64_t bytes_per_sample = 0;
  std::uint64_t mismatches = 0;  // 64-bit words that differ from the pattern after the timed loop
  PcieLinkState link;            // the highest generation and width seen while the samples ran
  int numa_node = -1;            // host node the pinned buffers were meant for (-1 unknown)
  std::string host_memory;       // "mbind+cudaHostRegister" or "cudaHostAlloc"
  std::string host_note;         // why the placement fell back, when it did
};

// The host NUMA node closest to `device`: sysfs numa_node, else cudaDevAttrHostNumaId; -1 when unknown.
int host_numa_node(int device, const std::string& pci_bus_id);

// How the all-GPU phase starts each sample on the GPU clock, as nvbandwidth does (docs/methodology/membw.md,
// "PCIe"): a one-thread kernel on each GPU's stream spins until the host-mapped counter `host_flag` reaches the
// sample's number (1, 2, ...), then the stream records `ready` and waits for every other GPU's ready event
// (cross-device cudaStreamWaitEvent): no GPU's copies begin before every GPU's spin kernel has exited. The host
// calls only order the enqueueing, never the timing: `ready_recorded(sample)` returns once every GPU present has
// recorded its ready event (a stream can only wait for a record already made), `enqueued(sample)` once every GPU
// present has enqueued the sample; then the counter rises and every spin kernel exits.
struct GpuClockStart {
  unsigned* host_flag = nullptr;  // PinnedBuffer with cudaHostAllocMapped | cudaHostAllocPortable
  unsigned long long max_spin_ns = 0;
  cudaEvent_t ready = nullptr;            // this GPU's, created on it; owned by the phase
  std::vector<cudaEvent_t> others_ready;  // the other GPUs' ready events; owned by the phase, outlive the call
  std::function<void(unsigned sample)> ready_recorded;
  std::function<void(unsigned sample)> enqueued;
  std::function<void()> leave;  // this GPU stops early (an error in the timed loop): the others go on without it
};

// Copy-engine transfers between `device` (made current) and pinned host memory on its NUMA node, in direction
// `dir`. bidir copies each direction as chunk_sizes() back-to-back copies with an event after each, and its figure
// is overlap_rate(): each direction's rate over its copies that ran while the other direction ran, summed. With
// `gpu_start` each sample starts behind the spin kernel and the other GPUs' ready events (the all-GPU phase); a
// spin that ran out (max_spin_ns) throws GpuError E_TIMEOUT for this GPU, since its sample did not start with the
// others. Destinations are cleared after warm-up and checked against the pattern after the timed loop. Throws
// GpuError on a failed CUDA call or past `deadline`.
TransferRun measure_transfer(int device, const std::string& pci_bus_id, Direction dir, const TransferOptions& opt,
                             std::chrono::steady_clock::time_point deadline, const GpuClockStart* gpu_start = nullptr);

// "no GPU to run on (<device error>)" when the node has no usable GPU; nullopt otherwise.
std::optional<std::string> pcie_not_applicable(const SystemInfo& system);

// Parameters of every pcie.* check: size_bytes (256 MiB), samples, warmup, all_gpus (run the concurrent phase).
std::vector<ParamSpec> pcie_params();
// CheckInfo for pcie.<dir>: node scope, order 40.
CheckInfo pcie_check_info(Direction dir, const std::string& summary);
// The check body: phase alone (each selected GPU by itself), then phase all_gpus (one thread per GPU, each sample
// started on the GPU clock by GpuClockStart); per-GPU bandwidth metrics, the aggregate (all GPUs' bytes over the
// longest first-start-to-last-end interval of the sample), link generation/width and mismatches. One GPU's failure is an error entry of that GPU (GpuIsolation); the others keep their figures.
Measurement run_pcie_check(RunContext& ctx, Direction dir);

}  // namespace tranche::pcie

// The shared peer-to-peer procedure behind p2p.unidir, p2p.bidir and p2p.latency: a matrix over GPU pairs of
// peer access, copy-engine and SM-copy bandwidth, and pointer-chase latency (docs/methodology/membw.md).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/check.h"

namespace tranche::p2p {

enum class P2pTest { unidir, bidir, latency };
enum class CopyMethod { ce, sm };  // ce: cudaMemcpyPeerAsync on a copy engine; sm: a kernel storing to the peer

struct P2pOptions {
  std::uint64_t size_bytes = 256ull << 20;  // per direction, rounded down to 8 B
  int samples = 10;
  int warmup = 2;
  std::uint64_t latency_steps = 20000;  // dependent loads per latency sample
};

// Results of one measurement over a pair; seconds are GPU-clock per sample.
struct PairRun {
  std::vector<double> seconds;
  std::uint64_t bytes_per_sample = 0;  // latency: number of dependent loads per sample
  std::uint64_t mismatches = 0;
};

// cudaDeviceCanAccessPeer for every ordered pair of `gpus`: result[i][j] is true when gpus[i] may access gpus[j].
std::vector<std::vector<bool>> peer_access_matrix(const std::vector<int>& gpus);

// Enables peer access a -> b and b -> a where the hardware allows it, for the guard's lifetime, and disables on
// destruction what it enabled (access that was already on stays on). Per pair, so nodes with more GPUs than a
// device's peer limit still work. Throws GpuError when enabling fails.
class PeerAccessGuard {
 public:
  PeerAccessGuard(int a, int b);
  ~PeerAccessGuard();
  PeerAccessGuard(const PeerAccessGuard&) = delete;
  PeerAccessGuard& operator=(const PeerAccessGuard&) = delete;

 private:
  int a_, b_;
  bool enabled_ab_ = false, enabled_ba_ = false;
};

// src -> dst, one direction; peer access src->dst enabled (sm) or not needed (ce). Destination verified.
PairRun measure_unidir(int src, int dst, CopyMethod method, const P2pOptions& opt,
                       std::chrono::steady_clock::time_point deadline);
// a -> b and b -> a at once, each issued by its source GPU and released together by a host-mapped start flag;
// a sample lasts until both finished; bytes_per_sample = 2 x size. Both destinations verified.
PairRun measure_bidir(int a, int b, CopyMethod method, const P2pOptions& opt,
                      std::chrono::steady_clock::time_point deadline);
// One thread on src follows a pointer chain in dst's memory; seconds per sample / steps = latency of one load.
PairRun measure_latency(int src, int dst, const P2pOptions& opt, std::chrono::steady_clock::time_point deadline);

// "needs at least 2 GPUs; this node has N" when fewer than two GPUs are visible.
std::optional<std::string> p2p_not_applicable(const SystemInfo& system);
std::vector<ParamSpec> p2p_params();
// CheckInfo for p2p.<test>: node scope, order 45.
CheckInfo p2p_check_info(P2pTest test, const std::string& summary);
// The check body: the matrix over ctx.gpus() (skipped, not required, with fewer than two), metrics per pair with
// Metric.device = source GPU and labels peer (and method), and the matrices in Measurement.details.
Measurement run_p2p_check(RunContext& ctx, P2pTest test);

}  // namespace tranche::p2p

// The measured GEMM procedure shared by every precision: operands, algorithm choice, timing, verification.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "benches/gemm/gemm_math.h"
#include "benches/gemm/gemm_reference.h"
#include "harness/core/check.h"
#include "harness/gpu/cublaslt_matmul.h"

namespace tranche {

// TEST-ONLY faults planted after the timed loop, to prove verification catches them: none; zero (the first
// verified element of the last written output set set to 0); above_bound (that element set just outside the
// tolerance: expected + 2.5 x bound before rounding to the output type, +1 for int8); stale (the whole last written
// output replaced by the product of another input set).
enum class GemmPlant { none, zero, above_bound, stale };
std::optional<GemmPlant> gemm_plant_from_string(const std::string& s);
const char* gemm_plant_name(GemmPlant p);

// Effective parameters of one run (see gemm_param_specs() for their meaning and defaults).
struct GemmOptions {
  std::vector<GemmShape> shapes{{8192, 8192, 8192}};
  std::int64_t samples = 30;
  double sample_s = 0.025;
  std::int64_t iterations = 0;  // products per sample; 0 = chosen from sample_s
  double warmup_s = 0.2;
  std::int64_t candidates = 8;
  std::int64_t workspace_bytes = std::int64_t{64} << 20;
  std::int64_t verify_samples = 4096;
  std::uint64_t seed = 0x7472616E636865ull;
  double min_duration_s = 2.0;  // all samples of a shape together last at least this long (GPU time)
  GemmPlant plant_error = GemmPlant::none;  // TEST-ONLY: corrupt the output after timing
};

std::vector<ParamSpec> gemm_param_specs();
// Reads and validates the parameters; throws InputError naming the parameter (bad shape for the precision,
// non-positive counts).
GemmOptions gemm_options_from(const RunContext& ctx, GemmPrecision p);
// "gemm.<p>"; the CheckInfo of gemm.<p> (scope gpu, order 20) with its three metrics.
std::string gemm_check_id(GemmPrecision p);
const CheckInfo& gemm_check_info(GemmPrecision p);
// The reason the precision cannot run on `gpu` (compute capability too low), or nullopt.
std::optional<std::string> gemm_not_applicable(GemmPrecision p, const SystemInfo& system, std::optional<int> gpu);

struct CandidateTiming {
  LtCandidate candidate;
  std::optional<double> seconds_per_gemm;  // nullopt when the candidate failed to launch
  std::string error;                       // cuBLASLt status name when it failed
};

// One shape in one precision on the current device. Owns its stream, cuBLASLt objects and buffers; not
// thread-safe (one per GPU thread). Every method throws GpuError for a failed API call or a passed deadline.
class GemmBench {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  // Allocates the rotated input sets (count from l2_bytes and free memory), fills them and queries the heuristic.
  GemmBench(GemmPrecision p, const GemmShape& shape, const GemmOptions& options, std::uint64_t l2_bytes,
            Deadline deadline);
  ~GemmBench();
  GemmBench(const GemmBench&) = delete;
  GemmBench& operator=(const GemmBench&) = delete;

  // Times each heuristic candidate briefly (warm-up excluded), keeps the fastest; returns its s per product.
  double select_algorithm(Deadline deadline);
  // Enqueues `count` products with the chosen algorithm, rotating through the input sets; with checksum_each,
  // a device checksum of each product follows it (untimed phases only: it reads the whole output).
  void enqueue(std::int64_t count, bool checksum_each = false);
  // Enqueues a checksum of the current output of every written set (after the timed loop and any planted fault).
  void checksum_written_sets();
  // Enqueues `samples` timed groups of `iterations` products, then waits: seconds per sample (GPU clock).
  std::vector<double> time_samples(std::int64_t samples, std::int64_t iterations, Deadline deadline);
  // TEST-ONLY: plants `mode` (see GemmPlant) in the most recently written output. Throws InputError for stale
  // when fewer than two sets were written.
  void plant_error(GemmPlant mode, Deadline deadline);
  // Recomputes the sampled elements of every written output set on the host (after the queued work ends), and
  // compares every recorded checksum with the first one of its input set.
  GemmVerification verify(Deadline deadline);

  std::int64_t rotation_sets() const;
  std::uint64_t set_bytes() const;
  const std::vector<CandidateTiming>& candidate_timings() const;
  const LtCandidate& chosen() const;
  nlohmann::json details() const;  // sets, candidates and their times, chosen algorithm, tolerance, scales

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The whole check on ctx.device(): for each shape, select, start together with the other GPUs, warm up, time,
// verify; metrics gemm.<p>/flops, /mismatches, /algorithm_id with labels m, n, k.
Measurement run_gemm_check(GemmPrecision p, RunContext& ctx);

}  // namespace tranche

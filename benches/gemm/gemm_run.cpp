// The gemm.<p> checks' parameters, CheckInfo, applicability and the per-GPU run over every requested shape.
#include <algorithm>
#include <array>

#include "benches/gemm/gemm_core.h"
#include "harness/core/duration_estimate.h"
#include "harness/gpu/stream.h"

namespace tranche {
namespace {

constexpr std::int64_t kDefaultSize = 8192;
constexpr double kMaxWorkspaceBytes = 4294967296.0;  // 4 GiB: far above what cuBLASLt's heuristics ask for
constexpr double kMaxSeed = 9223372036854775807.0;  // any non-negative int64

std::string summary_for(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64: return "FP64 GEMM FLOP/s via cuBLASLt (64F compute), verified on a host sample";
    case GemmPrecision::fp32: return "FP32 GEMM FLOP/s via cuBLASLt (32F compute, no TF32), verified on a host sample";
    case GemmPrecision::tf32:
      return "TF32 GEMM FLOP/s via cuBLASLt (fp32 data, 32F_FAST_TF32), verified on a host sample";
    case GemmPrecision::fp16: return "FP16 GEMM FLOP/s via cuBLASLt (fp32 accumulation), verified on a host sample";
    case GemmPrecision::bf16: return "BF16 GEMM FLOP/s via cuBLASLt (fp32 accumulation), verified on a host sample";
    case GemmPrecision::fp8:
      return "FP8 E4M3 GEMM FLOP/s via cuBLASLt (scaled inputs, bf16 output, sm_89+), verified on a host sample";
    case GemmPrecision::int8:
      return "INT8 GEMM OP/s via cuBLASLt (int32 accumulation), verified exactly on a host sample";
  }
  return "";
}

void require(bool ok, const std::string& id, const std::string& what) {
  if (!ok) throw InputError("check " + id + ": " + what);
}

}  // namespace

std::vector<ParamSpec> gemm_param_specs() {
  const GemmOptions d;
  // Ranges repeat gemm_options_from's run-time checks so the planner refuses bad values before anything runs.
  return {
      {"m", nlohmann::json::array({kDefaultSize}), "count",
       "rows of A and D; several values give several shapes (zipped with n and k; one value repeats)", 1, 1 << 20,
       "shape"},
      {"n", nlohmann::json::array({kDefaultSize}), "count", "columns of B and D (list, zipped with m and k)", 1,
       1 << 20, "shape"},
      {"k", nlohmann::json::array({kDefaultSize}), "count", "inner dimension (list, zipped with m and n)", 1, 1 << 20,
       "shape"},
      {"samples", d.samples, "count", "timed samples; the figure is their median (min, max, cv, n reported)", 1,
       100000},
      {"sample_s", d.sample_s, "s", "target GPU time of one sample, used when iterations is 0", 1e-6, 60},
      {"iterations", d.iterations, "count", "products per sample; 0 chooses it from sample_s", 0, 1000000},
      {"warmup_s", d.warmup_s, "s", "untimed products before the samples (at least one)", 0, 600},
      {"candidates", d.candidates, "count", "heuristic algorithms timed; the fastest is kept", 1, 64},
      {"workspace_bytes", d.workspace_bytes, "B", "cuBLASLt workspace", 0, kMaxWorkspaceBytes},
      {"verify_samples", d.verify_samples, "count", "output elements recomputed on the host per input set", 1, 1000000},
      {"seed", static_cast<std::int64_t>(d.seed), "", "seed of the random inputs and of the verified positions", 0, kMaxSeed},
      {"min_duration_s", d.min_duration_s, "s",
              "the samples of a shape together last at least this long, so the figure is the sustained one", 0, 3600},
      {"plant_error", gemm_plant_name(d.plant_error), "",
       "TEST-ONLY: none, zero, above_bound or stale: corrupt the output to prove verification fails; never in "
       "acceptance runs",
       std::nullopt, std::nullopt, "", true, {"none", "zero", "above_bound", "stale"}},
      start_gate_timeout_param(),
  };
}

GemmOptions gemm_options_from(const RunContext& ctx, GemmPrecision p) {
  const std::string id = gemm_check_id(p);
  GemmOptions o;
  try {
    o.shapes = gemm_shapes(ctx.param_int_list("m"), ctx.param_int_list("n"), ctx.param_int_list("k"));
  } catch (const std::invalid_argument& e) {
    throw InputError("check " + id + ": " + e.what());
  }
  for (const GemmShape& s : o.shapes) {
    if (auto why = gemm_shape_error(p, s)) {
      throw InputError("check " + id + ": shape " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" +
                       std::to_string(s.k) + ": " + *why);
    }
  }
  o.samples = ctx.param_int("samples");
  o.sample_s = ctx.param_double("sample_s");
  o.iterations = ctx.param_int("iterations");
  o.warmup_s = ctx.param_double("warmup_s");
  o.candidates = ctx.param_int("candidates");
  o.workspace_bytes = ctx.param_int("workspace_bytes");
  o.verify_samples = ctx.param_int("verify_samples");
  o.seed = static_cast<std::uint64_t>(ctx.param_int("seed"));
  o.min_duration_s = ctx.param_double("min_duration_s");
  const std::string plant = ctx.param_string("plant_error");
  const auto planted = gemm_plant_from_string(plant);
  require(planted.has_value(), id, "plant_error must be none, zero, above_bound or stale (got '" + plant + "')");
  o.plant_error = *planted;
  require(o.samples >= 1 && o.samples <= 100000, id, "samples must be between 1 and 100000");
  require(o.sample_s > 0 && o.sample_s <= 60, id, "sample_s must be in (0, 60]");
  require(o.iterations >= 0 && o.iterations <= 1000000, id, "iterations must be between 0 and 1000000");
  require(o.warmup_s >= 0 && o.warmup_s <= 600, id, "warmup_s must be in [0, 600]");
  require(o.min_duration_s >= 0 && o.min_duration_s <= 3600, id, "min_duration_s must be in [0, 3600]");
  require(o.candidates >= 1 && o.candidates <= 64, id, "candidates must be between 1 and 64");
  require(o.workspace_bytes >= 0, id, "workspace_bytes must not be negative");
  require(o.verify_samples >= 1, id, "verify_samples must be at least 1 (every run is verified)");
  return o;
}

// Per shape: setup (buffers, random fill, algorithm selection), the warm-up and the timed samples, which together
// last at least min_duration_s (gemm_sample_seconds).
double gemm_estimate_s(const nlohmann::json& params, int /*gpus*/) {
  const std::size_t shapes =
      std::max({param_list_size(params, "m"), param_list_size(params, "n"), param_list_size(params, "k")});
  const GemmOptions d;
  const double samples = param_number(params, "samples", static_cast<double>(d.samples));
  const double per_sample = gemm_sample_seconds(param_number(params, "sample_s", d.sample_s),
                                                param_number(params, "min_duration_s", d.min_duration_s),
                                                static_cast<std::int64_t>(samples));
  return static_cast<double>(shapes) *
         (kNominalSetupS + param_number(params, "warmup_s", d.warmup_s) + samples * per_sample);
}

std::string gemm_check_id(GemmPrecision p) { return "gemm." + std::string(gemm_precision_name(p)); }

const CheckInfo& gemm_check_info(GemmPrecision p) {
  static const auto kInfos = [] {
    std::array<CheckInfo, std::size(kAllGemmPrecisions)> infos;
    for (std::size_t i = 0; i < infos.size(); ++i) {
      const GemmPrecision q = kAllGemmPrecisions[i];
      const std::string id = gemm_check_id(q);
      infos[i] = CheckInfo{id,    summary_for(q), Scope::gpu, gemm_param_specs(),
                           {id + "/flops", id + "/mismatches", id + "/algorithm_id"},
                           300.0, 20};
      infos[i].estimate_s = gemm_estimate_s;
    }
    return infos;
  }();
  return kInfos[static_cast<std::size_t>(p)];
}

std::optional<std::string> gemm_not_applicable(GemmPrecision p, const SystemInfo& system, std::optional<int> gpu) {
  if (!gpu) return std::nullopt;
  const GpuInfo* g = system.gpu(*gpu);
  if (!g || g->sm() >= gemm_min_sm(p)) return std::nullopt;
  return gemm_check_id(p) + " needs compute capability " + std::to_string(gemm_min_sm(p) / 10) + "." +
         std::to_string(gemm_min_sm(p) % 10) + " or newer; GPU " + std::to_string(*gpu) + " (" + g->name + ") is " +
         std::to_string(g->cc_major) + "." + std::to_string(g->cc_minor);
}

Measurement run_gemm_check(GemmPrecision p, RunContext& ctx) {
  const GemmOptions o = gemm_options_from(ctx, p);
  const int dev = ctx.device();
  set_device(dev);
  const GpuInfo* gpu = ctx.system().gpu(dev);
  // Unknown L2 size: assume a large one, which only adds rotation sets.
  const std::uint64_t l2 = gpu && gpu->l2_bytes ? gpu->l2_bytes : std::uint64_t{256} << 20;

  Measurement m;
  m.check_id = gemm_check_id(p);
  nlohmann::json shapes = nlohmann::json::array();
  for (const GemmShape& shape : o.shapes) {
    ctx.check_deadline("GEMM setup");
    GemmBench bench(p, shape, o, l2, ctx.deadline());
    const double seconds_per_gemm = bench.select_algorithm(ctx.deadline());
    const double sample_s = gemm_sample_seconds(o.sample_s, o.min_duration_s, o.samples);
    const std::int64_t iterations = o.iterations > 0 ? o.iterations : gemm_iterations_for(sample_s, seconds_per_gemm);
    const std::int64_t warmup =
        o.warmup_s > 0 ? gemm_iterations_for(o.warmup_s, seconds_per_gemm, 1000000) : std::int64_t{1};
    ctx.check_deadline("GEMM algorithm selection");

    // Every GPU running this check passes the gate before its timed loop: each figure is taken under the load
    // of the whole node.
    const bool together = ctx.sync_start();
    // Every warm-up product is checksummed; after the timed loop (and a planted fault) every set's last product is
    // too, and all are compared with the first product of their input set.
    bench.enqueue(warmup, /*checksum_each=*/true);
    const std::vector<double> seconds = bench.time_samples(o.samples, iterations, ctx.deadline());
    if (o.plant_error != GemmPlant::none) bench.plant_error(o.plant_error, ctx.deadline());
    bench.checksum_written_sets();
    const GemmVerification v = bench.verify(ctx.deadline());

    std::vector<double> rates;
    for (double s : seconds) rates.push_back(gemm_flop_rate(shape, iterations, s));
    const std::map<std::string, std::string> labels = {
        {"m", std::to_string(shape.m)}, {"n", std::to_string(shape.n)}, {"k", std::to_string(shape.k)}};
    m.add_median_metric("flops", rates, "FLOP/s").labels = labels;
    // Wrong results of either kind: sampled elements outside the bound, and products whose checksum differs.
    m.add_metric("mismatches", static_cast<double>(v.mismatches + v.checksum_mismatches), "count").labels = labels;
    m.add_metric("algorithm_id", static_cast<double>(bench.chosen().config.id), "count").labels = labels;

    nlohmann::json d = bench.details();
    d["iterations_per_sample"] = iterations;
    d["sample_s_target"] = sample_s;
    d["warmup_gemms"] = warmup;
    d["samples"] = o.samples;
    d["start_gate_ok"] = together;
    nlohmann::json first = nlohmann::json::array();
    for (const GemmMismatch& x : v.first) {
      first.push_back({{"row", x.row}, {"col", x.col}, {"observed", x.observed}, {"expected", x.expected},
                       {"bound", x.bound}});
    }
    d["verification"] = {{"checked", v.checked},
                         {"mismatches", v.mismatches},
                         {"non_finite", v.non_finite},
                         {"max_error_ratio", v.max_error_ratio},
                         {"checksummed_products", v.checksummed_products},
                         {"checksum_mismatches", v.checksum_mismatches},
                         {"first_mismatches", std::move(first)}};
    shapes.push_back(std::move(d));
  }
  m.details = {{"cublaslt_version", cublaslt_version_string()},
               {"concurrency", ctx.concurrency()},
               {"timing", "CUDA events around each sample of back-to-back products; warm-up excluded"},
               {"shapes", std::move(shapes)}};
  return m;
}

}  // namespace tranche

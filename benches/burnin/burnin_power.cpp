// burnin.power: a dense FMA kernel on one stream and GEMMs on another drive the GPU toward its power limit; the
// power reached is judged against the enforced limit, with the same telemetry rules as burnin.gemm.
#include "benches/burnin/burnin_gemm_load.h"
#include "benches/burnin/burnin_metrics.h"
#include "benches/burnin/burnin_session.h"
#include "harness/core/duration_estimate.h"
#include "harness/core/registry.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/burnin.cuh"

namespace tranche {
namespace {

constexpr const char* kId = "burnin.power";

const CheckInfo& burnin_power_info() {
  static const CheckInfo info = [] {
    CheckInfo i = burnin_check_info(
        kId,
        "Burn-in: FMA kernel plus bf16 GEMM toward the power limit for load_s; p95 power vs the enforced limit, NVML "
        "telemetry",
        300.0, "load_s",
        {
            {"size", std::int64_t{8192}, "count", "m = n = k of the GEMM (a multiple of 8)", 64, 65536, "", false,
             {}, 8},
            {"fma_iterations", std::int64_t{1 << 20}, "count", "FMA steps per thread per kernel", 1, 1 << 24},
        },
        {"power_ratio", "power_limit", "mismatches"}, 61);
    i.estimate_s = [](const nlohmann::json& p, int) { return param_number(p, "load_s", 300) + 30.0; };
    return i;
  }();
  return info;
}

class BurninPower final : public Check {
 public:
  const CheckInfo& info() const override { return burnin_power_info(); }

  Measurement run(RunContext& ctx) override {
    BurninSession session(ctx, kId, "load_s");
    const std::int64_t size = ctx.param_int("size"), fma_iterations = ctx.param_int("fma_iterations");
    if (size < 64 || size > 65536 || size % 8) throw InputError(std::string("check ") + kId + ": size must be a multiple of 8 in 64..65536");
    if (fma_iterations < 1 || fma_iterations > (1 << 24)) throw InputError(std::string("check ") + kId + ": fma_iterations must be 1..16777216");
    set_device(ctx.device());
    const GpuInfo* g = ctx.system().gpu(ctx.device());
    const unsigned blocks = static_cast<unsigned>(std::max(1, g ? g->sm_count : 132) * 8);
    Stream gemm_stream, fma_stream;
    GemmLoad gemm(GemmPrecision::bf16, GemmShape{size, size, size}, 0x706F776572ull, std::int64_t{32} << 20, 64,
                  gemm_stream.get(), ctx.deadline());
    DeviceBuffer<float> sink(static_cast<std::size_t>(blocks) * 256);

    ctx.sync_start();
    session.start();
    while (session.keep_going()) {
      ctx.check_deadline("burn-in power loop");
      // A fraction of a second of work per stream per round (about 0.3 s each on an H100-class GPU at the
      // defaults); both queues stay short so Ctrl-C stops within seconds.
      for (int i = 0; i < 4; ++i) {
        TRANCHE_LAUNCH(kernels::fma_burn(sink.data(), blocks, static_cast<int>(fma_iterations), fma_stream.get()));
      }
      gemm.enqueue(32);
      wait_stream(fma_stream.get(), ctx.deadline(), "burn-in FMA kernels");
      wait_stream(gemm_stream.get(), ctx.deadline(), "burn-in power GEMMs");
      session.progress(std::nullopt, 0);
    }
    const GemmCounts c = gemm.counts(ctx.deadline());

    Measurement m;
    m.check_id = kId;
    m.add_metric("mismatches", static_cast<double>(c.mismatches), "count").device = ctx.device();
    const TelemetrySummary s = session.finish(m, c.mismatches);
    const auto& telemetry = m.details["telemetry"];
    std::optional<double> limit;
    if (telemetry.contains("power_limit_w") && telemetry["power_limit_w"].is_number()) {
      limit = telemetry["power_limit_w"].get<double>();
    }
    append_power_metrics(m, s, limit, ctx.device());
    m.details["gemm"] = gemm.details();
    m.details["gemm"]["products"] = c.products;
    m.details["fma"] = {{"blocks", blocks}, {"threads_per_block", 256}, {"iterations", fma_iterations}};
    return m;
  }
};

TRANCHE_REGISTER_CHECK(BurninPower)

}  // namespace
}  // namespace tranche

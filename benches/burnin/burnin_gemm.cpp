// burnin.gemm: hours of back-to-back deterministic GEMMs on every GPU, every output checked against the first
// (silent data corruption), a host recomputation now and then, per-minute throughput, telemetry judged after.
#include <algorithm>
#include <deque>

#include "benches/burnin/burnin_gemm_load.h"
#include "benches/burnin/burnin_metrics.h"
#include "benches/burnin/burnin_session.h"
#include "harness/core/duration_estimate.h"
#include "harness/core/registry.h"
#include "harness/gpu/stream.h"

namespace tranche {
namespace {

constexpr const char* kId = "burnin.gemm";

const CheckInfo& burnin_gemm_info() {
  static const CheckInfo info = [] {
    CheckInfo i = burnin_check_info(
        kId,
        "Burn-in: deterministic cuBLASLt GEMMs for duration_s, every output checksum compared with the first on the "
        "GPU, host recomputation, per-minute TFLOPS, NVML telemetry",
        1800.0, "duration_s",
        {
            {"precisions", nlohmann::json::array({"bf16", "fp32"}), "",
             "precisions alternated batch by batch (fp64, fp32, tf32, fp16, bf16)", std::nullopt, std::nullopt, "",
             false, {"fp64", "fp32", "tf32", "fp16", "bf16"}},
            {"size", std::int64_t{8192}, "count", "m = n = k of every product (a multiple of 8)", 64, 65536, "",
             false, {}, 8},
            {"batch_s", 1.0, "s", "GPU time of one timed batch of products of one precision", 0.01, 60},
            {"verify_every_s", 60.0, "s", "period of the host recomputation of a sample of the output", 0.1, 86400},
            {"verify_samples", std::int64_t{1024}, "count", "output elements recomputed on the host each time", 1,
             1000000},
            {"workspace_bytes", std::int64_t{32} << 20, "B", "cuBLASLt workspace", 0, 4294967296.0},
            {"seed", std::int64_t{0x6275726E}, "", "seed of the fixed random inputs", 0, 9223372036854775807.0},
            {"inject_fault", false, "",
             "TEST-ONLY: flip one bit of one GEMM output to prove the comparison catches it; never in acceptance runs",
             std::nullopt, std::nullopt, "", true},
        },
        {"mismatches", "flops", "slowest_interval_ratio", "interval_cv", "host_mismatches"}, 60);
    // The load itself, then the inputs, first reference products and the final verification around it.
    i.estimate_s = [](const nlohmann::json& p, int) { return param_number(p, "duration_s", 1800) + 30.0; };
    return i;
  }();
  return info;
}

// When product `index` was enqueued (seconds since the start), from the batch starts (first index, time); null for
// an index before the first batch.
nlohmann::json product_time(const std::vector<std::pair<std::int64_t, double>>& starts, std::int64_t index) {
  if (index < 0) return nullptr;
  auto it = std::upper_bound(starts.begin(), starts.end(), index,
                             [](std::int64_t i, const std::pair<std::int64_t, double>& s) { return i < s.first; });
  if (it == starts.begin()) return nullptr;
  return std::prev(it)->second;
}

struct InFlight {
  std::unique_ptr<EventTimer> timer;
  std::size_t load;
  std::int64_t products;
};

class BurninGemm final : public Check {
 public:
  const CheckInfo& info() const override { return burnin_gemm_info(); }

  Measurement run(RunContext& ctx) override {
    BurninSession session(ctx, kId);
    std::vector<GemmPrecision> precisions;
    for (const auto& name : ctx.params().at("precisions")) {
      if (!name.is_string()) throw InputError(std::string("check ") + kId + ": precisions must be strings");
      precisions.push_back(burnin_precision(name.get<std::string>(), kId));
    }
    const std::int64_t size = ctx.param_int("size");
    const double batch_s = ctx.param_double("batch_s"), verify_every_s = ctx.param_double("verify_every_s");
    const std::int64_t verify_samples = ctx.param_int("verify_samples");
    const bool inject = ctx.param_bool("inject_fault");
    if (precisions.empty()) throw InputError(std::string("check ") + kId + ": precisions must not be empty");
    if (size < 64 || size > 65536 || size % 8) throw InputError(std::string("check ") + kId + ": size must be a multiple of 8 in 64..65536");
    if (!(batch_s >= 0.01 && batch_s <= 60)) throw InputError(std::string("check ") + kId + ": batch_s must be in [0.01, 60]");
    if (!(verify_every_s > 0)) throw InputError(std::string("check ") + kId + ": verify_every_s must be positive");
    if (verify_samples < 1) throw InputError(std::string("check ") + kId + ": verify_samples must be at least 1");

    set_device(ctx.device());
    Stream stream;
    std::vector<std::unique_ptr<GemmLoad>> loads;
    for (GemmPrecision p : precisions) {
      loads.push_back(std::make_unique<GemmLoad>(p, GemmShape{size, size, size},
                                                 static_cast<std::uint64_t>(ctx.param_int("seed")),
                                                 ctx.param_int("workspace_bytes"), verify_samples, stream.get(),
                                                 ctx.deadline()));
    }
    std::vector<std::vector<TimedBatch>> batches(loads.size());
    std::vector<std::int64_t> per_batch(loads.size(), 1);  // the first batch of each precision sizes the next
    std::vector<std::vector<std::pair<std::int64_t, double>>> starts(loads.size());  // per batch: first product, t
    std::int64_t host_mismatches = 0, host_checked = 0;
    nlohmann::json host_first = nlohmann::json::array();
    std::optional<double> last_tflops;

    ctx.sync_start();
    session.start();
    std::deque<InFlight> queue;
    std::size_t next = 0;
    bool injected = false;
    double last_verify = 0;
    auto retire = [&] {
      InFlight f = std::move(queue.front());
      queue.pop_front();
      const double gpu_s = f.timer->elapsed_s(ctx.deadline());
      const double flops = loads[f.load]->flops_per_product() * static_cast<double>(f.products);
      batches[f.load].push_back({session.elapsed_s(), flops, gpu_s});
      if (gpu_s > 0) {
        last_tflops = flops / gpu_s / 1e12;
        const double per = gpu_s / static_cast<double>(f.products);
        per_batch[f.load] = std::clamp<std::int64_t>(static_cast<std::int64_t>(batch_s / per), 1, 100000);
      }
    };
    auto host_verify = [&](GemmLoad& load) {
      const GemmVerification v = load.verify(ctx.deadline());
      host_mismatches += v.mismatches;
      host_checked += v.checked;
      for (const auto& x : v.first) {
        if (host_first.size() < 8) {
          host_first.push_back({{"t_s", session.elapsed_s()}, {"precision", gemm_precision_name(load.precision())},
                                {"row", x.row}, {"col", x.col}, {"observed", x.observed}, {"expected", x.expected}});
        }
      }
    };
    while (session.keep_going()) {
      ctx.check_deadline("burn-in GEMM loop");
      const std::size_t i = next++ % loads.size();
      InFlight f{std::make_unique<EventTimer>(), i, per_batch[i]};
      // TEST-ONLY: the third batch's first product gets a flipped bit (after a reference and a clean batch exist).
      const bool flip = inject && !injected && next >= 3;
      injected = injected || flip;
      starts[i].emplace_back(loads[i]->enqueued(), session.elapsed_s());
      f.timer->start(stream.get());
      loads[i]->enqueue(f.products, flip);
      f.timer->stop(stream.get());
      queue.push_back(std::move(f));
      while (queue.size() > 2) retire();  // two batches in flight: the GPU never idles between them
      if (session.elapsed_s() - last_verify >= verify_every_s) {
        last_verify = session.elapsed_s();
        host_verify(*loads[i]);
      }
      long long sdc = host_mismatches;
      session.progress(last_tflops, sdc);
    }
    while (!queue.empty()) retire();

    Measurement m;
    m.check_id = kId;
    std::int64_t mismatches = host_mismatches;
    nlohmann::json per_precision = nlohmann::json::array();
    for (std::size_t i = 0; i < loads.size(); ++i) {
      if (!session.cut_short()) host_verify(*loads[i]);
      const GemmCounts c = loads[i]->counts(ctx.deadline());
      mismatches += c.mismatches;
      const std::string name(gemm_precision_name(loads[i]->precision()));
      const std::vector<double> rates = per_interval_rates(batches[i]);
      append_stability_metrics(m, rates, {{"precision", name}}, ctx.device());
      nlohmann::json d = loads[i]->details();
      d["products"] = c.products;
      d["checksum_mismatches"] = c.mismatches;
      d["first_bad_product"] = c.first_bad >= 0 ? nlohmann::json(c.first_bad) : nlohmann::json(nullptr);
      d["last_bad_product"] = c.last_bad >= 0 ? nlohmann::json(c.last_bad) : nlohmann::json(nullptr);
      d["first_bad_t_s"] = product_time(starts[i], c.first_bad);  // enqueue time of its batch
      d["last_bad_t_s"] = product_time(starts[i], c.last_bad);
      d["minute_flops"] = rates;
      per_precision.push_back(std::move(d));
    }
    Metric& sdc = m.add_metric("mismatches", static_cast<double>(mismatches), "count");
    sdc.device = ctx.device();
    m.add_metric("host_mismatches", static_cast<double>(host_mismatches), "count").device = ctx.device();
    m.details["precisions"] = std::move(per_precision);
    m.details["host_verification"] = {{"checked", host_checked}, {"mismatches", host_mismatches},
                                      {"first", std::move(host_first)}};
    m.details["inject_fault"] = injected;
    m.details["method"] = "checksum of every output compared on the GPU with the first product's; host recompute "
                          "of a sample every verify_every_s; rates per minute from CUDA events";
    session.finish(m, mismatches);
    return m;
  }
};

TRANCHE_REGISTER_CHECK(BurninGemm)

}  // namespace
}  // namespace tranche

// Google Benchmark over the gemm core (GemmBench): TFLOP/s per precision at 8192^3, manual time from CUDA events.
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "benches/gemm/gemm_core.h"
#include "harness/gpu/stream.h"
#include "harness/gpu/system_probe.h"

namespace {

using namespace tranche;

void bm_gemm(benchmark::State& state, GemmPrecision p, const SystemInfo* sys) {
  const std::int64_t n = state.range(0);
  const GemmShape shape{n, n, n};
  try {
    set_device(0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    GemmOptions options;
    options.shapes = {shape};
    GemmBench bench(p, shape, options, sys->gpus.front().l2_bytes, deadline);
    const double per_gemm = bench.select_algorithm(deadline);
    const std::int64_t iterations = gemm_iterations_for(options.sample_s, per_gemm);
    bench.enqueue(gemm_iterations_for(options.warmup_s, per_gemm, 1000000));
    double total_s = 0;
    std::int64_t gemms = 0;
    for (auto _ : state) {
      const double s = bench.time_samples(1, iterations, deadline).front();
      state.SetIterationTime(s);
      total_s += s;
      gemms += iterations;
    }
    const GemmVerification v = bench.verify(deadline);
    state.counters["TFLOP/s"] = total_s > 0 ? gemm_flop_rate(shape, gemms, total_s) / 1e12 : 0.0;
    state.counters["algorithm_id"] = bench.chosen().config.id;
    state.counters["mismatches"] = static_cast<double>(v.mismatches);
    state.counters["rotation_sets"] = static_cast<double>(bench.rotation_sets());
  } catch (const GpuError& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const SystemInfo sys = probe_system();
  if (sys.gpus.empty()) {
    std::printf("no GPU: %s\n", sys.device_error ? sys.device_error->message.c_str() : "no CUDA device visible");
    return 0;
  }
  for (GemmPrecision p : kAllGemmPrecisions) {
    const std::string name = "gemm/" + std::string(gemm_precision_name(p));
    if (auto why = gemm_not_applicable(p, sys, 0)) {
      std::printf("skip %s: %s\n", name.c_str(), why->c_str());
      continue;
    }
    benchmark::RegisterBenchmark(name.c_str(), bm_gemm, p, &sys)
        ->Arg(8192)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

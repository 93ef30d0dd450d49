// Google Benchmark program over the membw core: each STREAM kernel on GPU 0 with CUDA-event (manual) time and
// STREAM-counted bandwidth; says "no GPU" and exits 0 on a machine without one.
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "benches/membw/membw_core.h"
#include "harness/core/statistics.h"

namespace {

using tranche::membw::StreamOp;

constexpr int kSamples = 20;

std::uint64_t array_bytes() {
  if (const char* env = std::getenv("TRANCHE_MEMBW_BYTES")) return std::strtoull(env, nullptr, 10);
  return 1ull << 30;
}

void bm_stream(benchmark::State& state, StreamOp op) {
  cudaDeviceProp prop{};
  std::size_t free_b = 0, total_b = 0;
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess || cudaSetDevice(0) != cudaSuccess ||
      cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) {
    state.SkipWithError("CUDA device 0 not usable");
    return;
  }
  const auto size = tranche::membw::size_stream_arrays(
      array_bytes(), 8, 2, static_cast<std::uint64_t>(prop.l2CacheSize), free_b, tranche::membw::stream_arrays(op));
  tranche::membw::StreamOptions opt;
  opt.elements = size.elements;
  opt.samples = kSamples;
  const auto run =
      tranche::membw::measure_stream(0, op, opt, std::chrono::steady_clock::now() + std::chrono::seconds(120));
  std::size_t i = 0;
  for (auto _ : state) state.SetIterationTime(run.seconds[i++ % run.seconds.size()]);
  const double med = tranche::median(run.seconds);
  state.SetBytesProcessed(static_cast<std::int64_t>(run.bytes_per_launch) * state.iterations());
  state.counters["GBps_median"] = static_cast<double>(run.bytes_per_launch) / med / 1e9;
  state.counters["array_MiB"] = static_cast<double>(size.bytes_per_array) / (1 << 20);
  state.counters["mismatches"] = static_cast<double>(run.mismatches);
}

}  // namespace

int main(int argc, char** argv) {
  int n = 0;
  const cudaError_t st = cudaGetDeviceCount(&n);
  if (st != cudaSuccess || n == 0) {
    std::printf("membw_bench: no GPU (%s); nothing to measure\n",
                st != cudaSuccess ? cudaGetErrorName(st) : "0 devices");
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  for (auto op : {StreamOp::copy, StreamOp::scale, StreamOp::add, StreamOp::triad, StreamOp::read, StreamOp::write}) {
    benchmark::RegisterBenchmark(("membw/" + std::string(tranche::membw::to_string(op))).c_str(), bm_stream, op)
        ->UseManualTime()
        ->Iterations(kSamples)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

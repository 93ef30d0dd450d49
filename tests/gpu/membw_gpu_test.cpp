// STREAM kernels on a real GPU: correct at odd sizes and odd block sizes, verification catches a bad element.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <vector>

#include "benches/membw/membw_core.h"
#include "harness/gpu/device_buffer.h"
#include "tests/gpu/gpu_test_util.h"
#include "harness/gpu/stream.h"
#include "kernels/membw.cuh"

namespace tranche {
namespace {

auto far_deadline() { return std::chrono::steady_clock::now() + std::chrono::seconds(60); }

constexpr membw::StreamOp kOps[] = {membw::StreamOp::copy,  membw::StreamOp::scale, membw::StreamOp::add,
                                    membw::StreamOp::triad, membw::StreamOp::read,  membw::StreamOp::write};

TEST(MembwGpu, EveryKernelVerifiesAtOddSizes) {
  TRANCHE_REQUIRE_GPU();
  for (std::uint64_t n : {1ull, 3ull, 777ull, 1'000'003ull}) {
    for (unsigned threads : {96u, 256u}) {
      for (auto op : kOps) {
        membw::StreamOptions opt;
        opt.elements = n;
        opt.samples = 3;
        opt.warmup = 1;
        opt.threads = threads;
        const auto run = membw::measure_stream(0, op, opt, far_deadline());
        EXPECT_EQ(run.mismatches, 0u) << membw::to_string(op) << " n=" << n << " threads=" << threads;
        ASSERT_EQ(run.seconds.size(), 3u);
        for (double t : run.seconds) EXPECT_GT(t, 0.0);
        EXPECT_EQ(run.bytes_per_launch, membw::stream_bytes(op, n, 8));
        EXPECT_GT(run.blocks, 0u);
      }
    }
  }
}

TEST(MembwGpu, OutputsMatchHostComputedValues) {
  TRANCHE_REQUIRE_GPU();
  using kernels::StreamKernel;
  const std::size_t n = 1'000'003;
  set_device(0);
  DeviceBuffer<double> a(n), b(n), c(n), partials(4096), sum(1);
  Stream s;
  kernels::StreamLaunch launch;
  ASSERT_EQ(kernels::stream_launch_config(StreamKernel::triad, 0, 256, &launch), cudaSuccess);
  ASSERT_EQ(kernels::stream_init(a.data(), b.data(), c.data(), n, s.get()), cudaSuccess);
  ASSERT_EQ(
      kernels::stream_run(StreamKernel::triad, a.data(), b.data(), c.data(), n, nullptr, nullptr, launch, s.get()),
      cudaSuccess);
  ASSERT_EQ(kernels::stream_launch_config(StreamKernel::read, 0, 256, &launch), cudaSuccess);
  ASSERT_LE(launch.blocks, 4096u);
  ASSERT_EQ(kernels::stream_run(StreamKernel::read, b.data(), nullptr, nullptr, n, partials.data(), sum.data(), launch,
                                s.get()),
            cudaSuccess);
  std::vector<double> got(n);
  double total = 0;
  ASSERT_EQ(cudaMemcpyAsync(got.data(), a.data(), n * sizeof(double), cudaMemcpyDeviceToHost, s.get()), cudaSuccess);
  ASSERT_EQ(cudaMemcpyAsync(&total, sum.data(), sizeof total, cudaMemcpyDeviceToHost, s.get()), cudaSuccess);
  ASSERT_EQ(cudaStreamSynchronize(s.get()), cudaSuccess);
  double expected_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(got[i], kernels::stream_expected(StreamKernel::triad, i)) << i;
    expected_sum += kernels::stream_input(kernels::kStreamSeedB, i);
  }
  EXPECT_EQ(total, expected_sum);  // integers below 2^53: exact in any order
}

TEST(MembwGpu, VerificationCountsACorruptedElement) {
  TRANCHE_REQUIRE_GPU();
  using kernels::StreamKernel;
  const std::size_t n = 1'000'003;
  set_device(0);
  DeviceBuffer<double> a(n), c(n);
  DeviceBuffer<unsigned long long> counter(1);
  Stream s;
  kernels::StreamLaunch launch;
  ASSERT_EQ(kernels::stream_launch_config(StreamKernel::copy, 0, 256, &launch), cudaSuccess);
  ASSERT_EQ(kernels::stream_init(a.data(), nullptr, c.data(), n, s.get()), cudaSuccess);
  ASSERT_EQ(kernels::stream_run(StreamKernel::copy, a.data(), nullptr, c.data(), n, nullptr, nullptr, launch, s.get()),
            cudaSuccess);
  const double wrong = 0.5;
  ASSERT_EQ(cudaMemcpyAsync(c.data() + n - 1, &wrong, sizeof wrong, cudaMemcpyHostToDevice, s.get()), cudaSuccess);
  ASSERT_EQ(cudaMemsetAsync(counter.data(), 0, sizeof(unsigned long long), s.get()), cudaSuccess);
  ASSERT_EQ(kernels::stream_count_mismatches(StreamKernel::copy, c.data(), n, counter.data(), s.get()), cudaSuccess);
  unsigned long long bad = 0;
  ASSERT_EQ(cudaMemcpyAsync(&bad, counter.data(), sizeof bad, cudaMemcpyDeviceToHost, s.get()), cudaSuccess);
  ASSERT_EQ(cudaStreamSynchronize(s.get()), cudaSuccess);
  EXPECT_EQ(bad, 1u);
}

}  // namespace
}  // namespace tranche

// STREAM kernels on a real GPU: correct at odd sizes and odd block sizes, verification catches a bad element.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

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
      kernels::stream_run(StreamKernel::triad, a.data(), b.data(), c.data(), n, nullptr, launch, s.get()),
      cudaSuccess);
  ASSERT_EQ(kernels::stream_launch_config(StreamKernel::read, 0, 256, &launch), cudaSuccess);
  ASSERT_LE(launch.blocks, 4096u);
  ASSERT_EQ(kernels::stream_run(StreamKernel::read, b.data(), nullptr, nullptr, n, partials.data(), launch, s.get()),
            cudaSuccess);
  ASSERT_EQ(kernels::stream_read_total(partials.data(), launch.blocks, sum.data(), s.get()), cudaSuccess);
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
  ASSERT_EQ(kernels::stream_run(StreamKernel::copy, a.data(), nullptr, c.data(), n, nullptr, launch, s.get()),
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

// The loads-in-flight body, its one-vector remainder and the scalar tail together cover every element, for sizes
// around multiples of the grid's reach (kStreamLoadsInFlight strides) and odd n, in every kernel.
TEST(MembwGpu, EveryElementIsWrittenForSizesAroundTheUnrolledReach) {
  TRANCHE_REQUIRE_GPU();
  using kernels::StreamKernel;
  set_device(0);
  Stream s;
  DeviceBuffer<unsigned long long> counter(1);
  for (StreamKernel k : {StreamKernel::copy, StreamKernel::scale, StreamKernel::add, StreamKernel::triad,
                         StreamKernel::write}) {
    kernels::StreamLaunch launch;
    ASSERT_EQ(kernels::stream_launch_config(k, 0, 256, &launch), cudaSuccess);
    const std::size_t reach = 2ull * launch.blocks * launch.threads * kernels::kStreamLoadsInFlight;  // elements
    for (std::size_t n : {reach - 1, reach, reach + 1, 3 * reach + 7, std::size_t{5}}) {
      DeviceBuffer<double> a(n), b(n), c(n);
      ASSERT_EQ(kernels::stream_init(a.data(), b.data(), c.data(), n, s.get()), cudaSuccess);
      ASSERT_EQ(kernels::stream_run(k, a.data(), b.data(), c.data(), n, nullptr, launch, s.get()), cudaSuccess);
      const double* out = k == StreamKernel::copy || k == StreamKernel::add ? c.data()
                          : k == StreamKernel::scale                          ? b.data()
                                                                              : a.data();
      ASSERT_EQ(cudaMemsetAsync(counter.data(), 0, sizeof(unsigned long long), s.get()), cudaSuccess);
      ASSERT_EQ(kernels::stream_count_mismatches(k, out, n, counter.data(), s.get()), cudaSuccess);
      unsigned long long bad = 0;
      ASSERT_EQ(cudaMemcpyAsync(&bad, counter.data(), sizeof bad, cudaMemcpyDeviceToHost, s.get()), cudaSuccess);
      ASSERT_EQ(cudaStreamSynchronize(s.get()), cudaSuccess);
      EXPECT_EQ(bad, 0u) << "kernel " << static_cast<int>(k) << " n=" << n;
    }
  }
}

// N back-to-back launches per event pair: the check reports launches_per_sample, verifies, and a sample of 10
// launches is not slower per launch than a sample of one (printed for docs/performance.md).
TEST(MembwGpu, SeveralLaunchesPerEventPair) {
  TRANCHE_REQUIRE_GPU();
  membw::StreamOptions opt;
  opt.elements = std::size_t{1} << 27;  // 1 GiB per array
  opt.samples = 10;
  opt.launches_per_sample = 1;
  const auto one = membw::measure_stream(0, membw::StreamOp::copy, opt, std::chrono::steady_clock::now() + std::chrono::seconds(60));
  opt.launches_per_sample = 10;
  const auto ten = membw::measure_stream(0, membw::StreamOp::copy, opt, std::chrono::steady_clock::now() + std::chrono::seconds(60));
  EXPECT_EQ(one.mismatches, 0u);
  EXPECT_EQ(ten.mismatches, 0u);
  EXPECT_EQ(ten.launches_per_sample, 10);
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double t1 = median(one.seconds), t10 = median(ten.seconds);
  std::cout << "membw.copy 1 GiB: " << one.bytes_per_launch / t1 / 1e9 << " GB/s (1 launch per event pair), "
            << ten.bytes_per_launch / t10 / 1e9 << " GB/s (10 launches)\n";
  EXPECT_LE(t10, t1 * 1.02);
  // read: the timed group holds pass 1 only; its sums still verify.
  opt.elements = std::size_t{1} << 26;
  const auto read = membw::measure_stream(0, membw::StreamOp::read, opt, std::chrono::steady_clock::now() + std::chrono::seconds(60));
  EXPECT_EQ(read.mismatches, 0u);
}

}  // namespace
}  // namespace tranche

// STREAM byte counting, array sizing and the exactness of the closed-form values the kernels are checked against.
#include "benches/membw/membw_math.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kernels/membw.cuh"

namespace tranche::membw {
namespace {

TEST(MembwMath, ArraysPerKernelFollowStream) {
  EXPECT_EQ(stream_arrays(StreamOp::copy), 2);
  EXPECT_EQ(stream_arrays(StreamOp::scale), 2);
  EXPECT_EQ(stream_arrays(StreamOp::add), 3);
  EXPECT_EQ(stream_arrays(StreamOp::triad), 3);
  EXPECT_EQ(stream_arrays(StreamOp::read), 1);
  EXPECT_EQ(stream_arrays(StreamOp::write), 1);
}

TEST(MembwMath, BytesCountEveryArrayReadOrWritten) {
  EXPECT_EQ(stream_bytes(StreamOp::copy, 1000, 8), 16000u);
  EXPECT_EQ(stream_bytes(StreamOp::scale, 1000, 8), 16000u);
  EXPECT_EQ(stream_bytes(StreamOp::add, 1000, 8), 24000u);
  EXPECT_EQ(stream_bytes(StreamOp::triad, 1000, 4), 12000u);
  EXPECT_EQ(stream_bytes(StreamOp::read, 1000, 8), 8000u);
  EXPECT_EQ(stream_bytes(StreamOp::write, 1000, 8), 8000u);
  // 1 GiB copy moves 2 GiB the STREAM way (nvbandwidth would count 1 GiB).
  EXPECT_EQ(stream_bytes(StreamOp::copy, (1ull << 30) / 8, 8), 2ull << 30);
}

TEST(MembwMath, BandwidthNeedsPositiveTime) {
  EXPECT_DOUBLE_EQ(*bandwidth_Bps(3'000'000'000ull, 1.5), 2e9);
  EXPECT_FALSE(bandwidth_Bps(100, 0.0).has_value());
  EXPECT_FALSE(bandwidth_Bps(100, -1.0).has_value());
}

TEST(MembwMath, DefaultSizeOnH100IsOneGiB) {
  const auto s = size_stream_arrays(1ull << 30, 8, 2, 50ull << 20, 80ull << 30, 3);
  EXPECT_EQ(s.elements, (1ull << 30) / 8);
  EXPECT_EQ(s.bytes_per_array, 1ull << 30);
  EXPECT_FALSE(s.raised_to_l2_multiple);
  EXPECT_FALSE(s.capped_by_memory);
  EXPECT_FALSE(s.below_l2_multiple);
}

TEST(MembwMath, SmallRequestIsRaisedToEightTimesL2) {
  const std::uint64_t l2 = 126ull << 20;  // B200-class L2
  const auto s = size_stream_arrays(32ull << 20, 8, 2, l2, 180ull << 30, 2);
  EXPECT_TRUE(s.raised_to_l2_multiple);
  EXPECT_EQ(s.bytes_per_array, 8 * l2);
  EXPECT_FALSE(s.below_l2_multiple);
}

TEST(MembwMath, SizeIsRoundedDownToWholeVectors) {
  const auto s = size_stream_arrays(1'000'001, 8, 2, 0, 1ull << 40, 2);
  EXPECT_EQ(s.elements, 125'000u);
  EXPECT_EQ(s.elements % 2, 0u);
  EXPECT_EQ(s.bytes_per_array, 1'000'000u);
  const auto f = size_stream_arrays(1'000'001, 4, 4, 0, 1ull << 40, 2);  // float4
  EXPECT_EQ(f.elements % 4, 0u);
  EXPECT_LE(f.bytes_per_array, 1'000'001u);
  EXPECT_GT(f.bytes_per_array + 16, 1'000'001u);
}

TEST(MembwMath, FreeMemoryCapsTheArrays) {
  const std::uint64_t free_bytes = 1ull << 30;
  const auto s = size_stream_arrays(1ull << 30, 8, 2, 1ull << 20, free_bytes, 3);
  EXPECT_TRUE(s.capped_by_memory);
  EXPECT_LE(3 * s.bytes_per_array, static_cast<std::uint64_t>(0.8 * static_cast<double>(free_bytes)));
  EXPECT_EQ(s.elements % 2, 0u);
  const auto tiny = size_stream_arrays(1ull << 30, 8, 2, 50ull << 20, 100ull << 20, 3);
  EXPECT_TRUE(tiny.below_l2_multiple);
  EXPECT_EQ(size_stream_arrays(1ull << 30, 8, 2, 0, 10, 3).elements, 0u);
}

TEST(MembwMath, InputsAreExactIntegersInRange) {
  for (std::uint64_t i = 0; i < 200'000; i += 7) {
    for (auto seed : {kernels::kStreamSeedA, kernels::kStreamSeedB, kernels::kStreamSeedC}) {
      const double v = kernels::stream_input(seed, i);
      ASSERT_GE(v, 1.0);
      ASSERT_LE(v, 65536.0);
      ASSERT_EQ(v, std::floor(v));
      ASSERT_NE(v, kernels::kStreamWriteValue);
    }
  }
}

// The reference values are STREAM's definitions (scalar 3, McCalpin's STREAM) computed exactly: in 64-bit
// integers nothing rounds, so a double reference that rounded, or a kernel formula that drifted, differs.
TEST(MembwMath, ReferenceValuesAreStreamsDefinitionsWithoutRounding) {
  using kernels::StreamKernel;
  for (std::uint64_t i = 0; i < 200'000; i += 7) {
    const auto in = [i](std::uint64_t seed) { return static_cast<std::uint64_t>(kernels::stream_input(seed, i)); };
    const std::uint64_t a = in(kernels::kStreamSeedA), b = in(kernels::kStreamSeedB), c = in(kernels::kStreamSeedC);
    ASSERT_EQ(kernels::stream_expected(StreamKernel::copy, i), static_cast<double>(a)) << i;
    ASSERT_EQ(kernels::stream_expected(StreamKernel::scale, i), static_cast<double>(3 * c)) << i;
    ASSERT_EQ(kernels::stream_expected(StreamKernel::add, i), static_cast<double>(a + b)) << i;
    ASSERT_EQ(kernels::stream_expected(StreamKernel::triad, i), static_cast<double>(b + 3 * c)) << i;
  }
}

// Each kernel's reference differs from every other kernel's and inputs differ per array, so a kernel that reads
// the wrong array or runs the wrong operation is caught on almost every element.
TEST(MembwMath, KernelsAndInputsAreDistinguishable) {
  using kernels::StreamKernel;
  const StreamKernel ops[] = {StreamKernel::copy, StreamKernel::scale, StreamKernel::add, StreamKernel::triad};
  int same_inputs = 0, same_outputs = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    same_inputs += kernels::stream_input(kernels::kStreamSeedA, i) == kernels::stream_input(kernels::kStreamSeedC, i);
    same_inputs += kernels::stream_input(kernels::kStreamSeedA, i) == kernels::stream_input(kernels::kStreamSeedB, i);
    for (auto x : ops) {
      for (auto y : ops) {
        if (x != y) same_outputs += kernels::stream_expected(x, i) == kernels::stream_expected(y, i);
      }
    }
  }
  EXPECT_LT(same_inputs, 5);
  EXPECT_LT(same_outputs, 5);
}

}  // namespace
}  // namespace tranche::membw

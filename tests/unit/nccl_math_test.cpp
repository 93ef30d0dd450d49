// NCCL arithmetic: busbw factors as nccl-tests defines them, element counts, the size sweep, the memory cap, the
// headline; and the data pattern: every partial sum exact in float and bf16, expected values per op.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <set>

#include "benches/nccl/nccl_math.h"
#include "harness/core/errors.h"

namespace tranche::nccl {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;

TEST(NcclMath, BusFactorsFollowNcclTests) {
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_reduce, 8), 2.0 * 7 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_gather, 8), 7.0 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::reduce_scatter, 8), 7.0 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::alltoall, 8), 7.0 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::broadcast, 8), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::reduce, 8), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::sendrecv, 8), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_reduce, 1), 0.0);  // one rank moves nothing over a bus
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_reduce, 16), 2.0 * 15 / 16);
}

TEST(NcclMath, BandwidthFromSizeAndTime) {
  // nccl-tests' H100 example scale: 8 GiB all_reduce in 31.2 ms on 8 ranks.
  const double t = 0.0312;
  EXPECT_DOUBLE_EQ(algbw(8 * kGiB, t), 8.0 * kGiB / t);
  EXPECT_DOUBLE_EQ(busbw(CollectiveOp::all_reduce, 8 * kGiB, t, 8), 8.0 * kGiB / t * 1.75);
  EXPECT_EQ(algbw(100, 0.0), 0.0);
}

TEST(NcclMath, ElementCountsMatchNcclTestsBuffers) {
  const ElementCounts ar = element_counts(CollectiveOp::all_reduce, 1024, 4, 8);
  EXPECT_EQ(ar.count, 256u);
  EXPECT_EQ(ar.send, 256u);
  EXPECT_EQ(ar.recv, 256u);
  const ElementCounts ag = element_counts(CollectiveOp::all_gather, 1024, 4, 8);
  EXPECT_EQ(ag.count, 32u);
  EXPECT_EQ(ag.send, 32u);
  EXPECT_EQ(ag.recv, 256u);
  const ElementCounts rs = element_counts(CollectiveOp::reduce_scatter, 1024, 2, 8);
  EXPECT_EQ(rs.count, 64u);
  EXPECT_EQ(rs.send, 512u);
  EXPECT_EQ(rs.recv, 64u);
  const ElementCounts a2a = element_counts(CollectiveOp::alltoall, 1000, 4, 8);  // rounds down to 8 x 31 x 4
  EXPECT_EQ(a2a.count, 31u);
  EXPECT_EQ(a2a.size_bytes, 992u);
  EXPECT_EQ(element_counts(CollectiveOp::all_gather, 16, 4, 8).count, 0u);  // too small for 8 ranks
}

TEST(NcclMath, SweepDoublesFromMinToMaxAndDropsEmptySizes) {
  const auto s = sweep_sizes(8, 8 * kGiB, 2, CollectiveOp::all_reduce, 4, 8);
  ASSERT_EQ(s.size(), 31u);  // 2^3 .. 2^33, nccl-tests -b 8 -e 8G -f 2
  EXPECT_EQ(s.front(), 8u);
  EXPECT_EQ(s.back(), 8 * kGiB);
  // all_gather over 8 ranks of float needs 32 B: the 8 and 16 B steps are dropped.
  const auto g = sweep_sizes(8, 1024, 2, CollectiveOp::all_gather, 4, 8);
  ASSERT_FALSE(g.empty());
  EXPECT_EQ(g.front(), 32u);
  EXPECT_EQ(g.back(), 1024u);
  EXPECT_EQ(sweep_sizes(1000, 1000, 2, CollectiveOp::all_reduce, 4, 1), std::vector<std::uint64_t>{1000});
  const auto big = sweep_sizes(1, ~0ull, 4, CollectiveOp::sendrecv, 1, 2);  // no overflow at the top
  EXPECT_EQ(big.size(), 32u);
}

TEST(NcclMath, SweepRejectsBadParametersNamingThem) {
  EXPECT_THROW(sweep_sizes(0, 8, 2, CollectiveOp::all_reduce, 4, 8), InputError);
  try {
    sweep_sizes(64, 8, 2, CollectiveOp::all_reduce, 4, 8);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("max_bytes"), std::string::npos);
  }
  try {
    sweep_sizes(8, 64, 1, CollectiveOp::all_reduce, 4, 8);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("step_factor"), std::string::npos);
  }
}

TEST(NcclMath, MemoryCapKeepsBothBuffersInside) {
  for (CollectiveOp op : all_ops()) {
    const std::uint64_t usable = 70 * kGiB + 12345;
    const std::uint64_t s = max_size_for_memory(op, usable, 4, 8);
    EXPECT_LE(buffer_bytes_per_rank(op, s, 4, 8), usable) << op_name(op);
    EXPECT_GT(s, 34 * kGiB) << op_name(op);
  }
  EXPECT_EQ(max_size_for_memory(CollectiveOp::all_reduce, 0, 4, 8), 0u);
}

TEST(NcclMath, HeadlineIsThePlateauMeanAndTheLargestSize) {
  std::vector<SizeResult> rows = {{kGiB / 2, 0, 0, 100, 0}, {kGiB, 0, 0, 300, 0}, {2 * kGiB, 0, 0, 340, 0}};
  const Headline h = headline(rows, kGiB);
  ASSERT_TRUE(h.plateau_mean);
  EXPECT_DOUBLE_EQ(*h.plateau_mean, 320.0);
  EXPECT_EQ(h.plateau_rows, 2);
  EXPECT_DOUBLE_EQ(*h.at_largest, 340.0);
  EXPECT_EQ(h.largest_bytes, 2 * kGiB);
  const Headline none = headline(rows, 4 * kGiB);
  EXPECT_FALSE(none.plateau_mean);
  EXPECT_TRUE(none.at_largest);
}

TEST(NcclMath, InPlaceOnlyWhereNcclTestsVerifiesIt) {
  EXPECT_TRUE(supports_in_place(CollectiveOp::all_reduce));
  EXPECT_TRUE(supports_in_place(CollectiveOp::reduce_scatter));
  EXPECT_FALSE(supports_in_place(CollectiveOp::alltoall));
  EXPECT_FALSE(supports_in_place(CollectiveOp::sendrecv));
}

// Round-to-nearest-even float -> bf16 -> float, as the GPU stores bf16.
float round_bf16(float x) {
  std::uint32_t u = std::bit_cast<std::uint32_t>(x);
  u += 0x7FFFu + ((u >> 16) & 1u);
  return std::bit_cast<float>(u & 0xFFFF0000u);
}

// Every prefix sum in rank order and in reverse order is representable: any reduction order NCCL picks (ring,
// tree, NVLS) only forms sums over subsets, which are bounded by the total.
void expect_exact(int nranks, bool bf16) {
  for (std::uint64_t i = 0; i < 2000; ++i) {
    std::uint64_t fwd = 0, rev = 0;
    for (int q = 0; q < nranks; ++q) {
      const std::uint64_t v = kernels::rank_value(q, i, nranks, bf16);
      ASSERT_LE(v, 16u);
      fwd += v;
      rev += kernels::rank_value(nranks - 1 - q, i, nranks, bf16);
      const float f = static_cast<float>(fwd), r = static_cast<float>(rev);
      if (bf16) {
        ASSERT_EQ(round_bf16(f), f) << "n=" << nranks << " i=" << i;
        ASSERT_EQ(round_bf16(r), r) << "n=" << nranks << " i=" << i;
      } else {
        ASSERT_EQ(static_cast<std::uint64_t>(f), fwd);
      }
    }
    ASSERT_EQ(fwd, kernels::reduced_value(i, nranks, bf16));
    ASSERT_LE(fwd, kernels::exact_integer_limit(bf16));
  }
}

TEST(NcclPattern, EverySumIsExactInFloatAndBf16) {
  for (int n : {1, 2, 3, 8, 16, 64, 255, 256, 257, 512, 1024, 4096}) {
    expect_exact(n, true);
    expect_exact(n, false);
  }
}

TEST(NcclPattern, InputsAreNonZeroAndVaryUntilRanksOutgrowBf16) {
  std::set<std::uint64_t> seen;
  for (std::uint64_t i = 0; i < 64; ++i) {
    EXPECT_GE(kernels::rank_value(3, i, 8, true), 1u);
    seen.insert(kernels::rank_value(3, i, 8, true));
  }
  EXPECT_GE(seen.size(), 10u);
  EXPECT_EQ(kernels::value_span(256, true), 1u);  // all ones: the sum is exactly 256
  EXPECT_EQ(kernels::value_span(512, true), 0u);  // sparse ones
}

TEST(NcclPattern, ExpectedValuesPerOp) {
  using kernels::CollectiveKind;
  using kernels::expected_value;
  using kernels::rank_value;
  const int n = 4;
  const std::uint64_t c = 10;  // per-rank count
  // all_gather: block q of the output is rank q's input.
  EXPECT_EQ(expected_value(CollectiveKind::all_gather, 1, 2 * c + 3, c, n, false), rank_value(2, 3, n, false));
  // reduce_scatter: rank r gets the sum of block r.
  EXPECT_EQ(expected_value(CollectiveKind::reduce_scatter, 3, 4, c, n, false),
            kernels::reduced_value(3 * c + 4, n, false));
  // alltoall: block q of rank r's output is block r of rank q's input.
  EXPECT_EQ(expected_value(CollectiveKind::alltoall, 1, 2 * c + 5, c, n, true), rank_value(2, 1 * c + 5, n, true));
  // sendrecv ring: rank 0 receives from rank n-1.
  EXPECT_EQ(expected_value(CollectiveKind::sendrecv, 0, 7, c, n, false), rank_value(3, 7, n, false));
  EXPECT_EQ(expected_value(CollectiveKind::broadcast, 2, 7, c, n, false), rank_value(0, 7, n, false));
  EXPECT_EQ(expected_value(CollectiveKind::all_reduce, 2, 7, c, n, false), kernels::reduced_value(7, n, false));
  // one rank: all_reduce is the input itself.
  EXPECT_EQ(expected_value(CollectiveKind::all_reduce, 0, 9, c, 1, true), rank_value(0, 9, 1, true));
}

TEST(NcclMath, OpFromCheckId) {
  for (CollectiveOp op : all_ops()) EXPECT_EQ(op_from_check_id("nccl." + std::string(op_name(op))), op);
  EXPECT_FALSE(op_from_check_id("nccl.pairwise"));
  EXPECT_FALSE(op_from_check_id("all_reduce"));
  EXPECT_FALSE(op_from_check_id("gemm.all_reduce"));
  EXPECT_FALSE(op_from_check_id(""));
}

TEST(NcclMath, SendRecvPeersRingAndNodePairs) {
  // shift 1: nccl-tests' ring; the verifier is told the rank itself (it expects data from rank - 1).
  const SendRecvPeers ring = sendrecv_peers(0, 4, 1);
  EXPECT_EQ(ring.to, 1);
  EXPECT_EQ(ring.from, 3);
  EXPECT_EQ(ring.verify_as, 0);
  // Two 8-GPU nodes: GPU i of one node exchanges with GPU i of the other.
  for (int r = 0; r < 16; ++r) {
    const SendRecvPeers p = sendrecv_peers(r, 16, 8);
    EXPECT_EQ(p.to, (r + 8) % 16);
    EXPECT_EQ(p.from, p.to);
    // The ring verifier, told verify_as, expects exactly the partner's data.
    EXPECT_EQ(kernels::expected_value(kernels::CollectiveKind::sendrecv, p.verify_as, 5, 64, 16, false),
              kernels::rank_value(p.from, 5, 16, false));
  }
  EXPECT_EQ(sendrecv_peers(2, 3, 4).to, 0);  // a shift past n wraps
  EXPECT_EQ(sendrecv_peers(0, 1, 1).to, 0);
}

}  // namespace
}  // namespace tranche::nccl

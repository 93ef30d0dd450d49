// The bidirectional PCIe figure from event timestamps: copy splitting, the
// overlap window, and which copies count.
#include "benches/pcie/pcie_overlap.h"

#include <gtest/gtest.h>

#include <numeric>

namespace tranche::pcie {
namespace {

// A direction of `n` equal copies of `bytes` each at `rate` B/s, its first copy
// beginning at `t0` s.
DirectionTimeline steady(double t0, int n, std::uint64_t bytes, double rate) {
  DirectionTimeline t;
  t.boundaries_s.push_back(t0);
  for (int k = 0; k < n; ++k) {
    t.chunk_bytes.push_back(bytes);
    t.boundaries_s.push_back(t.boundaries_s.back() + static_cast<double>(bytes) / rate);
  }
  return t;
}

TEST(PcieOverlap, ChunkSizesAreWholeWordsThatSumToTheSize) {
  const auto c = chunk_sizes(256ull << 20);
  ASSERT_EQ(c.size(), static_cast<std::size_t>(kBidirChunks));
  EXPECT_EQ(c.front(), 32ull << 20);
  EXPECT_EQ(std::accumulate(c.begin(), c.end(), std::uint64_t{0}), 256ull << 20);
  // 10 words in at most 8 copies: seven of one word, the last of three.
  const auto odd = chunk_sizes(80, 8);
  ASSERT_EQ(odd.size(), 8u);
  EXPECT_EQ(odd.front(), 8u);
  EXPECT_EQ(odd.back(), 24u);
  // Fewer words than copies: one copy per word; one word: one copy.
  EXPECT_EQ(chunk_sizes(24, 8).size(), 3u);
  EXPECT_EQ(chunk_sizes(8, 8), std::vector<std::uint64_t>{8});
  for (std::uint64_t b : chunk_sizes(1000, 8)) EXPECT_EQ(b % 8, 0u);
}

TEST(PcieOverlap, EqualDirectionsStartingTogetherCountAlmostEverything) {
  // 8 x 32 MiB each way at 25 GB/s per direction; D2H begins 2 us after H2D
  // (the cross-stream wait).
  const std::uint64_t chunk = 32ull << 20;
  const auto h2d = steady(0.0, 8, chunk, 25e9);
  const auto d2h = steady(2e-6, 8, chunk, 25e9);
  const auto r = overlap_rate(h2d, d2h);
  ASSERT_TRUE(r.has_value());
  // H2D's first copy began before D2H did, and D2H's last copy ended after
  // H2D's: each is left out.
  EXPECT_EQ(r->h2d_bytes, 7 * chunk);
  EXPECT_EQ(r->d2h_bytes, 7 * chunk);
  EXPECT_NEAR(r->h2d_Bps, 25e9, 1e3);
  EXPECT_NEAR(r->d2h_Bps, 25e9, 1e3);
  EXPECT_NEAR(r->bidir_Bps(), 50e9, 2e3);
  EXPECT_NEAR(r->window_s, 8 * static_cast<double>(chunk) / 25e9 - 2e-6, 1e-12);
}

TEST(PcieOverlap, TheTailWhereOneDirectionRunsAloneIsNotCounted) {
  // H2D at 26.5 GB/s ends at 10.13 ms; D2H runs at 13 GB/s beside it, then on
  // alone at 26 GB/s. Timing to the last end would give 2 x 256 MiB / 15.5 ms
  // = 34.7 GB/s; over the overlap it is 26.5 + 13 = 39.5 GB/s.
  const std::uint64_t chunk = 32ull << 20;
  const auto h2d = steady(0.0, 8, chunk, 26.5e9);
  DirectionTimeline d2h = steady(0.0, 4, chunk,
                                 13e9);  // four copies at 13 GB/s (the fourth ends after H2D)
  for (int k = 0; k < 4; ++k) {          // then four alone at 26 GB/s
    d2h.chunk_bytes.push_back(chunk);
    d2h.boundaries_s.push_back(d2h.boundaries_s.back() + static_cast<double>(chunk) / 26e9);
  }
  const auto r = overlap_rate(h2d, d2h);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->h2d_bytes, 8 * chunk);  // H2D lies wholly inside the window
  EXPECT_EQ(r->d2h_bytes,
            3 * chunk);  // only D2H's copies that ended before H2D did
  EXPECT_NEAR(r->h2d_Bps, 26.5e9, 1e3);
  EXPECT_NEAR(r->d2h_Bps, 13e9, 1e3);
  EXPECT_NEAR(r->bidir_Bps(), 39.5e9, 2e3);
  const double until_both_end = 2.0 * 8 * static_cast<double>(chunk) / r->sample_s;
  EXPECT_NEAR(until_both_end, 34.7e9, 0.1e9);
}

TEST(PcieOverlap, NoFigureWithoutAWholeCopyOfEachDirectionInsideTheWindow) {
  const std::uint64_t chunk = 1 << 20;
  // One direction ten times faster: the slow one has no whole copy inside the
  // fast one's 0.8 ms.
  EXPECT_FALSE(overlap_rate(steady(0, 8, chunk, 10e9), steady(0, 8, chunk, 1e9)).has_value());
  // Disjoint in time: no window at all.
  EXPECT_FALSE(overlap_rate(steady(0, 8, chunk, 10e9), steady(1.0, 8, chunk, 10e9)).has_value());
  // Single copies of unequal length: the longer never lies inside the window.
  EXPECT_FALSE(overlap_rate(steady(0, 1, chunk, 10e9), steady(0, 1, chunk, 9e9)).has_value());
}

TEST(PcieOverlap, MalformedTimelinesGiveNoFigure) {
  const auto good = steady(0, 8, 1 << 20, 10e9);
  DirectionTimeline short_boundaries = good;
  short_boundaries.boundaries_s.pop_back();
  EXPECT_FALSE(overlap_rate(short_boundaries, good).has_value());
  DirectionTimeline backwards = good;
  std::swap(backwards.boundaries_s[2], backwards.boundaries_s[3]);
  EXPECT_FALSE(overlap_rate(good, backwards).has_value());
  EXPECT_FALSE(overlap_rate(DirectionTimeline{}, good).has_value());
  EXPECT_TRUE(overlap_rate(good, good).has_value());
}

}  // namespace
}  // namespace tranche::pcie

// nccl.pairwise's pure half: schedules where every pair meets once, and localisation on synthetic pair matrices
// (one bad node among 64, one bad link, none).
#include <gtest/gtest.h>

#include <set>

#include "benches/nccl/nccl_pairwise.h"

namespace tranche::nccl {
namespace {

void expect_round_robin(int nodes) {
  const auto rounds = round_robin_rounds(nodes);
  EXPECT_EQ(static_cast<int>(rounds.size()), nodes % 2 == 0 ? nodes - 1 : nodes) << nodes;
  std::set<NodePair> met;
  for (const Round& r : rounds) {
    std::set<int> busy;
    for (const NodePair& p : r) {
      EXPECT_LT(p.first, p.second);
      EXPECT_TRUE(busy.insert(p.first).second) << "node twice in one round";
      EXPECT_TRUE(busy.insert(p.second).second) << "node twice in one round";
      EXPECT_TRUE(met.insert(p).second) << "pair met twice";
    }
  }
  EXPECT_EQ(met.size(), static_cast<std::size_t>(nodes * (nodes - 1) / 2)) << nodes;
}

TEST(NcclPairwise, RoundRobinMeetsEveryPairOnce) {
  for (int n : {2, 3, 4, 5, 8, 17, 64}) expect_round_robin(n);
  EXPECT_TRUE(round_robin_rounds(1).empty());
  EXPECT_TRUE(round_robin_rounds(0).empty());
}

TEST(NcclPairwise, RandomRoundsAreMatchingsAndReproducible) {
  const auto a = random_rounds(65, 5, 42), b = random_rounds(65, 5, 42);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a, b);
  for (const Round& r : a) {
    EXPECT_EQ(r.size(), 32u);  // one of 65 rests
    std::set<int> busy;
    for (const NodePair& p : r) {
      EXPECT_TRUE(busy.insert(p.first).second);
      EXPECT_TRUE(busy.insert(p.second).second);
    }
  }
  EXPECT_NE(random_rounds(65, 5, 43), a);
}

PairMatrix uniform(int n, double bw) {
  PairMatrix m(static_cast<std::size_t>(n), std::vector<std::optional<double>>(static_cast<std::size_t>(n)));
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      // +-2 % of spread, deterministic, so the medians are not trivially equal
      if (a != b) m[a][b] = bw * (1.0 + 0.02 * (((a * 7 + b * 7) % 5) - 2) / 2.0);
    }
  }
  return m;
}
void set_pair(PairMatrix& m, int a, int b, double v) { m[a][b] = m[b][a] = v; }

TEST(NcclPairwise, OneBadNodeAmong64IsNamedWithItsPairs) {
  PairMatrix m = uniform(64, 48e9);
  for (int b = 0; b < 64; ++b) {
    if (b != 37) set_pair(m, 37, b, 30e9);
  }
  const Localisation loc = localise(m, 0.1);
  ASSERT_EQ(loc.slow_nodes, std::vector<int>{37});
  ASSERT_EQ(loc.slow_pairs_of_node.size(), 1u);
  EXPECT_EQ(loc.slow_pairs_of_node[0].size(), 63u);
  EXPECT_TRUE(loc.slow_links.empty());  // its pairs are explained by the node
  EXPECT_NEAR(*loc.scores[37].score, 30e9, 1);
  EXPECT_NEAR(*loc.reference, 48e9, 48e9 * 0.02);
}

TEST(NcclPairwise, OneBadLinkIsALinkNotANode) {
  PairMatrix m = uniform(64, 48e9);
  set_pair(m, 5, 40, 12e9);
  const Localisation loc = localise(m, 0.1);
  EXPECT_TRUE(loc.slow_nodes.empty());
  ASSERT_EQ(loc.slow_links.size(), 1u);
  EXPECT_EQ(loc.slow_links[0].pair, NodePair(5, 40));
  EXPECT_DOUBLE_EQ(loc.slow_links[0].bandwidth, 12e9);
}

TEST(NcclPairwise, HealthyRackNamesNobody) {
  const Localisation loc = localise(uniform(64, 48e9), 0.1);
  EXPECT_TRUE(loc.slow_nodes.empty());
  EXPECT_TRUE(loc.slow_links.empty());
  ASSERT_EQ(loc.scores.size(), 64u);
  for (const NodeScore& s : loc.scores) EXPECT_EQ(s.pairs, 63);
}

TEST(NcclPairwise, UnmeasuredPairsAreIgnoredAndEmptyMatrixHasNoReference) {
  PairMatrix m = uniform(4, 10e9);
  m[2][3] = m[3][2] = std::nullopt;
  const Localisation loc = localise(m, 0.1);
  EXPECT_EQ(loc.scores[2].pairs, 2);
  EXPECT_TRUE(loc.slow_nodes.empty());
  EXPECT_FALSE(localise(PairMatrix{}, 0.1).reference);
}

}  // namespace
}  // namespace tranche::nccl

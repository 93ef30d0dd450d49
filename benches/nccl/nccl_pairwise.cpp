// Pair schedules and the median-based slow-node and slow-link localisation behind nccl.pairwise.
#include "benches/nccl/nccl_pairwise.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <random>

#include "harness/core/statistics.h"

namespace tranche::nccl {

std::vector<Round> round_robin_rounds(int nodes) {
  std::vector<Round> rounds;
  if (nodes < 2) return rounds;
  // Circle method: fix slot 0, rotate the others; with an odd count a phantom slot (-1) makes one node rest.
  const int slots = nodes % 2 == 0 ? nodes : nodes + 1;
  std::vector<int> ring(static_cast<std::size_t>(slots));
  std::iota(ring.begin(), ring.end(), 0);
  if (slots != nodes) ring.back() = -1;
  for (int r = 0; r < slots - 1; ++r) {
    Round round;
    for (int i = 0; i < slots / 2; ++i) {
      const int a = ring[static_cast<std::size_t>(i)], b = ring[static_cast<std::size_t>(slots - 1 - i)];
      if (a >= 0 && b >= 0) round.emplace_back(std::min(a, b), std::max(a, b));
    }
    rounds.push_back(std::move(round));
    std::rotate(ring.begin() + 1, ring.end() - 1, ring.end());
  }
  return rounds;
}

std::vector<Round> random_rounds(int nodes, int rounds, std::uint64_t seed) {
  std::vector<Round> out;
  if (nodes < 2) return out;
  std::mt19937_64 rng(seed);
  std::vector<int> order(static_cast<std::size_t>(nodes));
  for (int r = 0; r < rounds; ++r) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    Round round;
    for (std::size_t i = 0; i + 1 < order.size(); i += 2) {
      round.emplace_back(std::min(order[i], order[i + 1]), std::max(order[i], order[i + 1]));
    }
    out.push_back(std::move(round));
  }
  return out;
}

Localisation localise(const PairMatrix& bw, double margin) {
  assert(margin >= 0 && margin < 1);
  const int n = static_cast<int>(bw.size());
  Localisation loc;
  std::vector<double> all_pairs, node_scores;
  for (int a = 0; a < n; ++a) {
    assert(bw[static_cast<std::size_t>(a)].size() == bw.size());
    std::vector<double> mine;
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      if (const auto& v = bw[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)]) {
        mine.push_back(*v);
        if (a < b) all_pairs.push_back(*v);
      }
    }
    NodeScore s;
    s.node = a;
    s.pairs = static_cast<int>(mine.size());
    if (!mine.empty()) {
      s.score = median(mine);
      node_scores.push_back(*s.score);
    }
    loc.scores.push_back(s);
  }
  if (node_scores.empty()) return loc;
  loc.reference = median(node_scores);
  loc.pair_reference = median(all_pairs);
  const double node_floor = (1 - margin) * *loc.reference;
  const double pair_floor = (1 - margin) * *loc.pair_reference;
  std::vector<bool> slow(static_cast<std::size_t>(n), false);
  for (const NodeScore& s : loc.scores) {
    if (s.score && *s.score < node_floor) {
      slow[static_cast<std::size_t>(s.node)] = true;
      loc.slow_nodes.push_back(s.node);
    }
  }
  for (int node : loc.slow_nodes) {
    std::vector<SlowPair> pairs;
    for (int b = 0; b < n; ++b) {
      const auto& v = bw[static_cast<std::size_t>(node)][static_cast<std::size_t>(b)];
      if (b != node && v && *v < pair_floor) pairs.push_back({{std::min(node, b), std::max(node, b)}, *v});
    }
    loc.slow_pairs_of_node.push_back(std::move(pairs));
  }
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      const auto& v = bw[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      if (v && *v < pair_floor && !slow[static_cast<std::size_t>(a)] && !slow[static_cast<std::size_t>(b)]) {
        loc.slow_links.push_back({{a, b}, *v});
      }
    }
  }
  return loc;
}

}  // namespace tranche::nccl

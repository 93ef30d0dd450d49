// Pure slow-node localisation for nccl.pairwise: which node pairs meet in which round, and, from the measured
// pair bandwidths, which nodes (or single links) drag the rack down (docs/methodology/nccl.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tranche::nccl {

using NodePair = std::pair<int, int>;  // (a, b) with a < b, node indices
using Round = std::vector<NodePair>;   // disjoint pairs that run at the same time

// Round-robin (circle method): nodes-1 rounds for an even count, nodes rounds for an odd one (one node rests
// each round); every pair meets exactly once. Empty for fewer than two nodes.
std::vector<Round> round_robin_rounds(int nodes);
// `rounds` random perfect matchings (one node rests per round when the count is odd), reproducible from `seed`;
// for racks too large to meet every pair. A pair may repeat across rounds.
std::vector<Round> random_rounds(int nodes, int rounds, std::uint64_t seed);

// bandwidth[a][b] (B/s) for every measured pair, symmetric; nullopt where the pair did not run.
using PairMatrix = std::vector<std::vector<std::optional<double>>>;

struct NodeScore {
  int node = 0;
  std::optional<double> score;  // median of the node's measured pairs; nullopt when it has none
  int pairs = 0;
};
struct SlowPair {
  NodePair pair;
  double bandwidth = 0;
};
struct Localisation {
  std::vector<NodeScore> scores;
  std::optional<double> reference;  // median of the node scores
  std::optional<double> pair_reference;  // median over every measured pair
  std::vector<int> slow_nodes;           // score < (1 - margin) * reference, ascending index
  std::vector<std::vector<SlowPair>> slow_pairs_of_node;  // per slow node: its pairs below (1 - margin) * pair_ref
  std::vector<SlowPair> slow_links;  // pairs below (1 - margin) * pair_ref whose two nodes are both not slow
};

// Node score = median of its pairs; a node is slow when its score is below its peers' (the median of all
// scores) by more than `margin` (0.1 = 10 %). A slow pair between two healthy nodes is a slow link (a cable, a
// NIC port, a switch port). Precondition: the matrix is square; 0 <= margin < 1.
Localisation localise(const PairMatrix& bandwidth, double margin);

}  // namespace tranche::nccl

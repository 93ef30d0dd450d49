// Blame for GPU-pair verdicts (p2p.*): a GPU whose pairs fail with several partners, or else the link itself.
#pragma once
#include <vector>

#include "harness/core/verdict.h"

namespace tranche {

// Rewrites the failed verdicts of GPU pairs (check "p2p.*", device = the source GPU, label "peer" = the other):
// - every pair verdict names both GPUs in its message ("GPU 3 -> GPU 0: ...") and, when failed, in its labels
//   ("gpu" beside "peer");
// - a GPU whose failed pairs involve at least two distinct partners is blamed: the failed verdicts of its pairs
//   are attributed to it (device = that GPU), so its healthy partners are not rejected with it;
// - a failed pair where neither GPU is blamed is the link's fault: device is cleared (a node-level verdict, so
//   the node is rejected but neither GPU is) and the message says to check the link between the two.
// Verdicts of other checks are untouched. Pure; order of `verdicts` is kept.
void attribute_pair_blame(std::vector<Verdict>& verdicts);

}  // namespace tranche

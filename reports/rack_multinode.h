// A multi-node NCCL result file (tranche/nccl-multinode/v2, or v1) as the rack report shows it: its ranks
// counted by status and by their node run's acceptance, the ranks that are not accepted, the ranks whose NCCL
// figures trail the other ranks of the same run, and (v2) the collectives across nodes by status and the slow
// nodes and links nccl.pairwise named.
#pragma once
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "harness/core/outcome.h"
#include "reports/fleet_stats.h"
#include "reports/multinode_report.h"

namespace tranche {

struct MultinodeInput {
  std::string file, sha256;
  MultinodeReport report;
};

struct MultinodeSummary {
  nlohmann::json entry;      // one item of the rack report's "multinode" array (reports/schema/rack-report)
  Acceptance acceptance;     // what the file says about the rack: rejected (a rank rejected, a pair whose data
                             // did not verify), incomplete (a rank in error or without a device, a cross-node
                             // collective or the pairwise run not measured), else accepted; slow ones warn
  int slow_ranks = 0;        // ranks named slow (each counted once, whatever the number of its slow figures)
  int named_slow = 0;        // slow nodes and slow links nccl.pairwise named in the file
};

// Pure. A rank is slow on a figure (metric and labels) when its value is below the median of the measured ranks
// of the same file by the fleet rule (`rule`: modified z-score and percentage, at least rule.min_peers ranks).
// `rack_hosts`: the hosts whose node report is in the rack, so the entry lists the file's hosts without one.
MultinodeSummary summarize_multinode(const MultinodeInput& in, const OutlierRule& rule,
                                     const std::set<std::string>& rack_hosts);

}  // namespace tranche

// NodeDigest: the part of a node report that rack, tranche and compare need (identity, figures, outcomes).
#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/verdict.h"
#include "reports/node_report.h"

namespace tranche {

// One GPU's identity from the report's inventory; empty strings when the inventory does not know.
struct GpuIdentity {
  int index = 0;
  std::string name, serial, uuid, pci_bus_id;
};

// One performance figure: a metric with a value in B/s, FLOP/s or s (the units where "slower than its peers"
// means something). key is the metric name with its labels, "p2p.unidir/bandwidth{method=ce,peer=3}".
struct DigestFigure {
  std::string key;
  std::string unit;
  std::optional<int> device;
  double value = 0;
};

// A verdict that is not a plain pass (warn, fail, error, or a skip of a required check).
struct DigestProblem {
  std::string check_id, metric;
  std::optional<int> device;
  Outcome outcome = Outcome::fail;
  std::string message, error_id;
};

struct NodeDigest {
  std::string file;      // the report file it was read from
  std::string sha256;    // of the file's bytes
  std::string schema;
  std::string host;
  std::string baseline_id, baseline_sha256;
  std::vector<GpuIdentity> gpus;
  std::vector<DigestFigure> figures;
  std::vector<DigestProblem> problems;
  std::map<std::string, std::array<int, 6>> outcomes_by_check;  // check id -> verdict count per Outcome value
  // Per check, its lowest ratio to a baseline reference turned so that below 1 is worse (observed / reference for
  // higher_is_better verdicts, reference / observed for lower_is_better ones); checks with neither are absent.
  std::map<std::string, double> standing_by_check;
  Summary summary;
};

// +1 for a higher_is_better rule, -1 for lower_is_better, 0 for any other (equal, status, ...).
int standing_direction(std::string_view rule);

// Lowers d.standing_by_check[check_id] to this verdict's standing when it has a ratio and a direction.
void note_standing(NodeDigest& d, const std::string& check_id, int direction, std::optional<double> ratio);

// "name{k=v,k2=v2}" with labels in key order; just "name" without labels.
std::string figure_key(const std::string& metric, const std::map<std::string, std::string>& labels);
// Whether a unit is a performance unit the fleet rules compare (B/s, FLOP/s: higher is better; s: lower).
bool is_performance_unit(const std::string& unit);
bool lower_is_better(const std::string& unit);

// The digest of a fully parsed report (the reference the fast reader is tested against). file and sha256 are
// left to the caller.
NodeDigest node_digest_from_report(const NodeReport& r);

}  // namespace tranche

// Rack aggregation: node digests in, one rack report (tranche/rack-report/v1) out.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/fleet_stats.h"
#include "reports/node_digest.h"
#include "reports/node_report.h"
#include "reports/rack_multinode.h"

namespace tranche {

inline constexpr const char* kRackReportSchema = "tranche/rack-report/v1";

struct FleetOptions {
  OutlierRule rule;
  bool outliers_fail = false;  // a fleet outlier is `fail` (and its GPU goes on the RMA list) instead of `warn`
  bool strict = false;         // the first report left out, or validation note, is an InputError instead
};

struct RackOptions {
  std::string name;
  std::optional<std::vector<std::string>> expected_hosts;  // nullopt: no expectation given
  FleetOptions fleet;
  ToolInfo tool;
};

// Builds a rack report from digests added one at a time; keeps only the figures and identities of each node,
// never its report. Not thread-safe (read reports in parallel, add them in a fixed order).
class RackAggregator {
 public:
  explicit RackAggregator(RackOptions options);
  // Validates the digest against the nodes seen so far (duplicate host, a GPU serial or UUID seen elsewhere):
  // a duplicate is left out with the reason. Throws InputError under --strict instead.
  void add(NodeDigest digest);
  // A report that could not be read: listed under "excluded". Throws InputError(reason) under --strict.
  void exclude(const std::string& file, const std::string& reason);
  // A multi-node NCCL result file among the inputs: summarised in finish() against the rack's hosts.
  void add_multinode(MultinodeInput input);
  nlohmann::json finish() const;

 private:
  struct Value {
    int node;
    std::optional<int> device;
    double value;
  };
  struct Series {
    std::string unit;
    std::vector<Value> values;
  };
  struct NodeEntry {
    std::string host, file, sha256, sku, baseline_id, baseline_sha256;
    Summary summary;
    std::vector<GpuIdentity> gpus;
    std::vector<DigestProblem> problems;
    std::map<std::string, double> standing_by_check;  // NodeDigest::standing_by_check
  };
  void note(const std::string& file, const std::string& kind, const std::string& message);
  nlohmann::json sku_group(const std::string& sku, const std::map<std::string, Series>& series,
                           nlohmann::json& outliers) const;

  RackOptions options_;
  std::vector<NodeEntry> nodes_;
  std::map<std::string, std::map<std::string, Series>> series_;  // sku -> figure key -> values
  std::map<std::string, std::array<int, 6>> outcomes_by_check_;
  std::map<std::string, size_t> host_index_;
  std::map<std::string, std::string> serial_owner_, uuid_owner_;  // -> "host GPU i (file)"
  std::string first_baseline_sha_;
  std::vector<MultinodeInput> multinode_;
  nlohmann::json excluded_ = nlohmann::json::array();
  nlohmann::json notes_ = nlohmann::json::array();
};

// The SKU a node's GPUs form: their common name, or "mixed: A + B" when they differ, "unknown" with no GPUs.
std::string sku_of(const std::vector<GpuIdentity>& gpus);

}  // namespace tranche

// Rack aggregation: validation of each node digest, per-SKU distributions, fleet outliers, RMA list, roll-up.
#include "reports/rack_report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "harness/core/error_catalog.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/statistics.h"
#include "reports/hostlist.h"

namespace tranche {

using nlohmann::json;

std::string sku_of(const std::vector<GpuIdentity>& gpus) {
  std::set<std::string> names;
  for (const auto& g : gpus) names.insert(g.name.empty() ? "unknown" : g.name);
  if (names.empty()) return "unknown";
  if (names.size() == 1) return *names.begin();
  std::string s = "mixed:";
  for (const auto& n : names) s += (s.size() > 6 ? " + " : " ") + n;
  return s;
}

RackAggregator::RackAggregator(RackOptions options) : options_(std::move(options)) {}

void RackAggregator::note(const std::string& file, const std::string& kind, const std::string& message) {
  if (options_.fleet.strict) throw InputError(file + ": " + message + " (--strict)");
  notes_.push_back({{"file", file}, {"kind", kind}, {"message", message}});
}

void RackAggregator::exclude(const std::string& file, const std::string& reason) {
  if (options_.fleet.strict) throw InputError(reason + " (--strict: nothing was aggregated)");
  excluded_.push_back({{"file", file}, {"reason", reason}});
}

void RackAggregator::add_multinode(MultinodeInput input) { multinode_.push_back(std::move(input)); }

void RackAggregator::add(NodeDigest d) {
  if (auto it = host_index_.find(d.host); it != host_index_.end()) {
    exclude(d.file, d.file + ": host '" + d.host + "' is also in " + nodes_[it->second].file +
                        " (two reports of one node: keep the newer one)");
    return;
  }
  for (const auto& g : d.gpus) {
    const std::string here = "host " + d.host + " GPU " + std::to_string(g.index) + " (" + d.file + ")";
    for (const auto& [id, owners] : {std::pair{g.serial, &serial_owner_}, std::pair{g.uuid, &uuid_owner_}}) {
      if (id.empty()) continue;
      if (auto it = owners->find(id); it != owners->end()) {
        exclude(d.file, d.file + ": GPU " + (owners == &serial_owner_ ? "serial " : "UUID ") + id + " of " + here +
                            " is also " + it->second +
                            ": a copied report, or a GPU moved between nodes — check both nodes before accepting");
        return;
      }
    }
  }
  for (const auto& g : d.gpus) {
    const std::string here = "host " + d.host + " GPU " + std::to_string(g.index) + " (" + d.file + ")";
    if (!g.serial.empty()) serial_owner_[g.serial] = here;
    if (!g.uuid.empty()) uuid_owner_[g.uuid] = here;
  }
  NodeEntry n{d.host, d.file, d.sha256, sku_of(d.gpus), d.baseline_id, d.baseline_sha256,
              std::move(d.summary), std::move(d.gpus), std::move(d.problems), std::move(d.standing_by_check)};
  if (n.sku.rfind("mixed:", 0) == 0) {
    note(n.file, "mixed_sku", "host " + n.host + " has GPUs of different models (" + n.sku +
                                  "); its figures are grouped apart from single-SKU nodes");
  }
  if (first_baseline_sha_.empty()) {
    first_baseline_sha_ = n.baseline_sha256;
  } else if (n.baseline_sha256 != first_baseline_sha_ && n.sku == nodes_.front().sku) {
    note(n.file, "baseline_differs", "host " + n.host + " was judged against baseline '" + n.baseline_id +
                                         "' (sha256 " + n.baseline_sha256.substr(0, 12) + ") unlike " +
                                         nodes_.front().file + "; re-judge with tranche judge to compare alike");
  }
  for (const auto& [check, counts] : d.outcomes_by_check) {
    auto& mine = outcomes_by_check_[check];
    for (size_t i = 0; i < counts.size(); ++i) mine[i] += counts[i];
  }
  const int node = static_cast<int>(nodes_.size());
  auto& by_key = series_[n.sku];
  for (auto& f : d.figures) {
    auto& s = by_key[f.key];
    s.unit = f.unit;
    s.values.push_back({node, f.device, f.value});
  }
  host_index_[n.host] = nodes_.size();
  nodes_.push_back(std::move(n));
}

namespace {

Outcome outlier_outcome(const FleetOptions& o) { return o.outliers_fail ? Outcome::fail : Outcome::warn; }

// "-4.1%": a signed percentage with one decimal.
std::string percent_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", p);
  return buf;
}

std::string serial_of(const std::vector<GpuIdentity>& gpus, int index) {
  for (const auto& g : gpus) {
    if (g.index == index) return g.serial;
  }
  return "";
}

}  // namespace

json RackAggregator::sku_group(const std::string& sku, const std::map<std::string, Series>& series,
                               json& outliers) const {
  json metrics = json::array();
  const FleetOptions& fo = options_.fleet;
  for (const auto& entry : series) {
    const std::string& key = entry.first;  // named, not bound: lambdas below capture them (clang 14)
    const Series& s = entry.second;
    std::vector<double> gpu_values;
    std::map<int, std::vector<double>> per_node;  // node -> its values (GPU values, or its node-level value)
    for (const auto& v : s.values) {
      if (v.device) gpu_values.push_back(v.value);
      per_node[v.node].push_back(v.value);
    }
    std::vector<double> node_values;
    std::map<int, double> node_value;
    for (auto& [node, vals] : per_node) node_value[node] = median(vals);
    for (const auto& [node, val] : node_value) node_values.push_back(val);
    const bool lower = lower_is_better(s.unit);
    const Distribution nodes_dist = distribution_of(node_values);
    json m{{"metric", key}, {"unit", s.unit}, {"direction", lower ? "lower_is_better" : "higher_is_better"},
           {"nodes", to_json(nodes_dist)}, {"gpus", nullptr}};
    std::set<int> flagged_nodes;
    auto flag = [&](const char* scope, int node, std::optional<int> gpu, double value, const Distribution& peers,
                    const OutlierScore& sc) {
      const NodeEntry& n = nodes_[static_cast<size_t>(node)];
      outliers.push_back({{"scope", scope}, {"host", n.host}, {"gpu", json_or_null(gpu)},
                          {"serial", gpu ? json(serial_of(n.gpus, *gpu)) : json(nullptr)}, {"sku", sku},
                          {"metric", key}, {"unit", s.unit}, {"value", value}, {"median", peers.median},
                          {"percent_from_median", sc.percent_from_median}, {"z", sc.z},
                          {"outcome", to_string(outlier_outcome(fo))}});
    };
    for (const auto& [node, val] : node_value) {
      const OutlierScore sc = score_against(val, nodes_dist, lower, fo.rule);
      if (!sc.outlier) continue;
      flagged_nodes.insert(node);
      flag("node", node, std::nullopt, val, nodes_dist, sc);
    }
    if (!gpu_values.empty()) {
      const Distribution gpus_dist = distribution_of(gpu_values);
      m["gpus"] = to_json(gpus_dist);
      for (const auto& v : s.values) {
        if (!v.device || flagged_nodes.count(v.node)) continue;  // the node's deviation explains its GPUs'
        const OutlierScore sc = score_against(v.value, gpus_dist, lower, fo.rule);
        if (sc.outlier) flag("gpu", v.node, v.device, v.value, gpus_dist, sc);
      }
    }
    metrics.push_back(std::move(m));
  }
  return metrics;
}

json RackAggregator::finish() const {
  const FleetOptions& fo = options_.fleet;
  json outliers = json::array(), skus = json::array();
  for (const auto& [sku, series] : series_) {
    int n = 0;
    for (const auto& node : nodes_) n += node.sku == sku;
    skus.push_back({{"sku", sku}, {"nodes", n}, {"metrics", sku_group(sku, series, outliers)}});
  }
  std::map<std::string, int> outliers_per_host;
  for (const auto& o : outliers) outliers_per_host[o["host"].get<std::string>()] += 1;

  json nodes = json::array(), rma = json::array();
  std::map<std::string, int> by_outcome;  // every outcome present, so reports of either layout compare alike
  for (Outcome x : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
    by_outcome[std::string(to_string(x))] = 0;
  }
  Outcome worst_seen = Outcome::skip;
  bool any_rejected = false, any_incomplete = false;
  int accepted = 0;
  for (const auto& n : nodes_) {
    std::set<std::string> failing;
    std::map<int, json> gpu_failures;
    for (const auto& p : n.problems) {
      if (p.outcome != Outcome::fail && p.outcome != Outcome::error) continue;
      failing.insert(p.check_id);
      if (p.outcome == Outcome::fail && p.device) {
        gpu_failures[*p.device].push_back({{"check_id", p.check_id}, {"metric", p.metric}, {"message", p.message},
                                           {"error_id", p.error_id}});
      }
    }
    if (fo.outliers_fail) {
      for (const auto& o : outliers) {
        if (o["host"] != n.host || o["gpu"].is_null()) continue;
        gpu_failures[o["gpu"].get<int>()].push_back(
            {{"check_id", metric_check_id(o["metric"].get<std::string>())}, {"metric", o["metric"]},
             {"message", percent_text(o["percent_from_median"].get<double>()) + " from the rack median of its "
                             "peers (fleet outlier, --outliers-fail)"},
             {"error_id", ""}});
      }
    }
    for (auto& [gpu, failures] : gpu_failures) {
      json rec{{"host", n.host}, {"gpu", gpu}, {"serial", nullptr}, {"uuid", nullptr}, {"pci_bus_id", nullptr}};
      for (const auto& g : n.gpus) {
        if (g.index != gpu) continue;
        rec["serial"] = g.serial;
        rec["uuid"] = g.uuid;
        rec["pci_bus_id"] = g.pci_bus_id;
      }
      std::string next = "re-run the failed checks; if they fail again, return the GPU by its serial";
      for (const auto& f : failures) {
        const std::string id = f["error_id"].get<std::string>();
        if (!id.empty() && is_known_error(id)) next = std::string(error_entry(id).next_step);
      }
      rec["failures"] = std::move(failures);
      rec["next_step"] = next;
      rma.push_back(std::move(rec));
    }
    for (const auto& [k, c] : n.summary.counts) by_outcome[k] += c;
    worst_seen = worst(worst_seen, n.summary.worst);
    any_rejected |= n.summary.acceptance == Acceptance::rejected;
    any_incomplete |= n.summary.acceptance == Acceptance::incomplete;
    accepted += n.summary.acceptance == Acceptance::accepted;
    nodes.push_back({{"host", n.host}, {"file", n.file}, {"sha256", n.sha256}, {"sku", n.sku},
                     {"baseline_id", n.baseline_id}, {"acceptance", to_string(n.summary.acceptance)},
                     {"worst", to_string(n.summary.worst)},
                     {"failing_checks", std::vector<std::string>(failing.begin(), failing.end())},
                     {"outliers", outliers_per_host[n.host]}, {"standing", n.standing_by_check}});
  }
  if (!outliers.empty()) worst_seen = worst(worst_seen, outlier_outcome(fo));
  any_rejected |= fo.outliers_fail && !outliers.empty();

  json expected{{"given", options_.expected_hosts.has_value()}, {"missing", json::array()},
                {"unexpected", json::array()}};
  if (options_.expected_hosts) {
    std::vector<std::string> reported;
    for (const auto& n : nodes_) reported.push_back(n.host);
    const HostMatch match = match_hosts(*options_.expected_hosts, reported);
    expected["missing"] = match.missing;
    expected["unexpected"] = match.unexpected;
  }
  json multinode = json::array();
  int slow_ranks = 0, named_slow = 0;
  std::set<std::string> rack_hosts;
  for (const auto& n : nodes_) rack_hosts.insert(n.host);
  for (const auto& in : multinode_) {
    MultinodeSummary m = summarize_multinode(in, fo.rule, rack_hosts);
    any_rejected |= m.acceptance == Acceptance::rejected;
    any_incomplete |= m.acceptance == Acceptance::incomplete;
    slow_ranks += m.slow_ranks;
    named_slow += m.named_slow;
    multinode.push_back(std::move(m.entry));
  }
  if (slow_ranks + named_slow > 0) worst_seen = worst(worst_seen, Outcome::warn);
  const bool gaps = !excluded_.empty() || !expected["missing"].empty() || nodes_.empty();
  const Acceptance acceptance = any_rejected                ? Acceptance::rejected
                                : any_incomplete || gaps    ? Acceptance::incomplete
                                                            : Acceptance::accepted;
  json by_check = json::object();
  for (const auto& [check, c] : outcomes_by_check_) {
    json o = json::object();
    for (Outcome x : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
      o[std::string(to_string(x))] = c[static_cast<size_t>(x)];
    }
    by_check[check] = std::move(o);
  }
  const std::string headline =
      std::string(to_string(acceptance)) + ": " + std::to_string(accepted) + "/" + std::to_string(nodes_.size()) +
      " nodes accepted, " + std::to_string(rma.size()) + " GPUs to return, " + std::to_string(outliers.size()) +
      " fleet outliers, " + std::to_string(expected["missing"].size()) + " hosts missing, " +
      std::to_string(excluded_.size()) + " reports left out" +
      (multinode_.empty() ? std::string()
                          : ", " + std::to_string(multinode_.size()) + " multi-node NCCL files (" +
                                std::to_string(slow_ranks) + " slow ranks, " + std::to_string(named_slow) +
                                " slow nodes or links named)");
  return json{
      {"schema", kRackReportSchema},
      {"tool", {{"name", options_.tool.name}, {"version", options_.tool.version}, {"git_sha", options_.tool.git_sha}}},
      {"name", options_.name},
      {"created_at", to_iso8601(std::chrono::system_clock::now())},
      {"options",
       {{"z_threshold", fo.rule.z_threshold}, {"min_percent", fo.rule.min_percent}, {"min_peers", fo.rule.min_peers},
        {"outlier_outcome", to_string(outlier_outcome(fo))}, {"strict", fo.strict}}},
      {"acceptance", to_string(acceptance)},
      {"worst", to_string(worst_seen)},
      {"headline", headline},
      {"counts", {{"nodes", nodes_.size()}, {"accepted_nodes", accepted}, {"by_outcome", by_outcome},
                  {"by_check", by_check}}},
      {"nodes", nodes},
      {"skus", skus},
      {"outliers", outliers},
      {"rma", rma},
      {"expected_hosts", expected},
      {"multinode", multinode},
      {"excluded", excluded_},
      {"notes", notes_},
  };
}

}  // namespace tranche

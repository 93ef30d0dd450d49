// The rack report's view of one multi-node NCCL result file: counts, ranks not accepted, slow ranks by host.
#include "reports/rack_multinode.h"

#include <map>
#include <vector>

#include "harness/core/model_json.h"
#include "reports/node_digest.h"

namespace tranche {

using nlohmann::json;

namespace {

struct RankValue {
  const RankResult* rank;
  double value;
};

std::map<std::string, std::string> string_labels(const json& labels) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : labels.items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

// The objects of `j[key]` when it is an array (the multi-node reader checks cross_node only for being an object,
// so each part is taken only where it has the documented shape).
json objects_at(const json& j, const char* key) {
  json out = json::array();
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& x : *it) {
    if (x.is_object()) out.push_back(x);
  }
  return out;
}

// The cross-node section of a v2 file (docs/multinode.md "Across nodes"): collectives by status, those that did
// not measure with their errors, and what nccl.pairwise named. Null for a v1 file or a run without the section.
json cross_node_summary(const json& cn, bool& rejected, bool& incomplete, int& slow) {
  if (!cn.is_object()) return nullptr;
  json by_status{{"measured", 0}, {"error", 0}, {"not_run", 0}};
  json not_measured = json::array();
  for (const auto& c : objects_at(cn, "collectives")) {
    const std::string status = c.value("status", std::string("error"));
    const std::string key = by_status.contains(status) ? status : "error";
    by_status[key] = by_status[key].get<int>() + 1;
    if (key == "measured") continue;
    incomplete = true;  // a selected collective across nodes that did not measure: no evidence for the rack
    not_measured.push_back({{"check", c.value("check", std::string())}, {"status", key},
                            {"errors", objects_at(c, "errors")}});
  }
  json pairwise = nullptr;
  if (auto it = cn.find("pairwise"); it != cn.end() && it->is_object()) {
    const json& p = *it;
    json slow_nodes = objects_at(p, "slow_nodes"), slow_links = objects_at(p, "slow_links");
    json bad_data = objects_at(p, "bad_data");
    slow += static_cast<int>(slow_nodes.size() + slow_links.size());
    rejected |= !bad_data.empty();  // a pair whose exchanged data did not verify: corrupt data on the wire
    const std::string status = p.value("status", std::string("not_run"));
    incomplete |= status != "measured";
    pairwise = {{"status", status}, {"slow_nodes", std::move(slow_nodes)}, {"slow_links", std::move(slow_links)},
                {"bad_data", std::move(bad_data)}};
  }
  const auto reason = cn.find("not_run_reason");
  return {{"not_run_reason", reason != cn.end() && reason->is_string() ? *reason : json(nullptr)},
          {"collectives_by_status", std::move(by_status)},
          {"collectives_not_measured", std::move(not_measured)},
          {"pairwise", std::move(pairwise)}};
}

}  // namespace

MultinodeSummary summarize_multinode(const MultinodeInput& in, const OutlierRule& rule,
                                     const std::set<std::string>& rack_hosts) {
  const MultinodeReport& r = in.report;
  json by_status{{"measured", 0}, {"no_device", 0}, {"error", 0}};
  json by_acceptance{{"accepted", 0}, {"rejected", 0}, {"incomplete", 0}, {"none", 0}};
  json not_accepted = json::array(), hosts = json::array(), without_report = json::array();
  bool rejected = false, incomplete = false;
  std::map<std::string, std::vector<RankValue>> by_figure;  // figure key -> measured ranks' values
  std::map<std::string, std::string> unit_of;
  std::set<std::string> seen_hosts;
  for (const RankResult& rank : r.ranks) {
    by_status[rank.status] = by_status[rank.status].get<int>() + 1;
    const std::string acc = rank.acceptance.empty() ? "none" : rank.acceptance;
    by_acceptance[acc] = by_acceptance.value(acc, 0) + 1;
    rejected |= rank.acceptance == "rejected";
    incomplete |= rank.status != "measured" || rank.acceptance != "accepted";
    if (rank.status != "measured" || rank.acceptance != "accepted") {
      not_accepted.push_back({{"rank", rank.rank}, {"host", rank.host}, {"status", rank.status},
                              {"acceptance", rank.acceptance}, {"error_id", rank.error_id},
                              {"error_message", rank.error_message}, {"node_report", rank.node_report}});
    }
    if (seen_hosts.insert(rank.host).second) {
      hosts.push_back(rank.host);
      if (!rack_hosts.count(rank.host)) without_report.push_back(rank.host);
    }
    if (rank.status != "measured") continue;
    for (const RankFigure& f : rank.figures) {
      if (!f.value || !is_performance_unit(f.unit)) continue;
      const std::string key = figure_key(f.metric, string_labels(f.labels));
      by_figure[key].push_back({&rank, *f.value});
      unit_of[key] = f.unit;
    }
  }
  json slow = json::array();
  std::set<int> slow_ranks;
  for (const auto& [key, values] : by_figure) {
    std::vector<double> xs;
    for (const auto& v : values) xs.push_back(v.value);
    const Distribution peers = distribution_of(xs);
    const bool lower = lower_is_better(unit_of[key]);
    for (const auto& v : values) {
      const OutlierScore sc = score_against(v.value, peers, lower, rule);
      if (!sc.outlier) continue;
      slow_ranks.insert(v.rank->rank);
      slow.push_back({{"rank", v.rank->rank}, {"host", v.rank->host}, {"figure", key}, {"unit", unit_of[key]},
                      {"value", v.value}, {"median", peers.median}, {"percent_from_median", sc.percent_from_median},
                      {"z", sc.z}, {"peers", peers.n}});
    }
  }
  int named_slow = 0;
  json cross_node = cross_node_summary(r.cross_node, rejected, incomplete, named_slow);
  MultinodeSummary s;
  s.acceptance = rejected ? Acceptance::rejected : incomplete ? Acceptance::incomplete : Acceptance::accepted;
  s.slow_ranks = static_cast<int>(slow_ranks.size());
  s.named_slow = named_slow;
  s.entry = json{{"file", in.file},
                 {"sha256", in.sha256},
                 {"schema", r.schema},
                 {"launcher", r.launcher},
                 {"created_at", to_iso8601(r.created_at)},
                 {"world_size", r.world_size},
                 {"hosts", std::move(hosts)},
                 {"acceptance", to_string(s.acceptance)},
                 {"ranks_by_status", std::move(by_status)},
                 {"ranks_by_acceptance", std::move(by_acceptance)},
                 {"ranks_not_accepted", std::move(not_accepted)},
                 {"slow_ranks", std::move(slow)},
                 {"hosts_without_node_report", std::move(without_report)},
                 {"cross_node", std::move(cross_node)}};
  return s;
}

}  // namespace tranche

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
  MultinodeSummary s;
  s.acceptance = rejected ? Acceptance::rejected : incomplete ? Acceptance::incomplete : Acceptance::accepted;
  s.slow_ranks = static_cast<int>(slow_ranks.size());
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
                 {"hosts_without_node_report", std::move(without_report)}};
  return s;
}

}  // namespace tranche

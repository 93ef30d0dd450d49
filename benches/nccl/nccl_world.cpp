// World layout, node pairs, and merging of per-process results for NCCL across nodes.
#include "benches/nccl/nccl_world.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace tranche::nccl {

using nlohmann::json;

const WorldMember* WorldLayout::member(int mpi_rank) const {
  for (const WorldMember& m : members) {
    if (m.mpi_rank == mpi_rank) return &m;
  }
  return nullptr;
}

WorldLayout layout_world(const std::vector<int>& gpus_per_rank) {
  WorldLayout w;
  for (std::size_t r = 0; r < gpus_per_rank.size(); ++r) {
    const int g = gpus_per_rank[r];
    if (g <= 0) {
      w.excluded.push_back(static_cast<int>(r));
      continue;
    }
    w.members.push_back({static_cast<int>(r), w.nranks, g});
    w.nranks += g;
  }
  return w;
}

std::vector<PairWorld> pair_worlds(const WorldLayout& layout, const std::vector<Round>& rounds) {
  std::vector<PairWorld> out;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    for (const NodePair& np : rounds[r]) {
      const WorldMember& a = layout.members.at(static_cast<std::size_t>(np.first));
      const WorldMember& b = layout.members.at(static_cast<std::size_t>(np.second));
      PairWorld p;
      p.round = static_cast<int>(r);
      p.a = np.first;
      p.b = np.second;
      p.root_mpi = a.mpi_rank;
      p.other_mpi = b.mpi_rank;
      p.nranks = a.gpus + b.gpus;
      p.shift = a.gpus;
      if (a.gpus != b.gpus) {
        p.problem = "the nodes have different GPU counts (" + std::to_string(a.gpus) + " and " +
                    std::to_string(b.gpus) + "): GPUs cannot be paired one to one";
      }
      out.push_back(p);
    }
  }
  return out;
}

namespace {

using RowKey = std::tuple<std::string, std::string, std::uint64_t>;

RowKey key_of(const json& row) {
  return {row.at("dtype").get<std::string>(), row.at("placement").get<std::string>(),
          row.at("size_bytes").get<std::uint64_t>()};
}

}  // namespace

json merge_world_tables(CollectiveOp op, int nranks, const std::vector<json>& tables) {
  json merged = json::array();
  if (tables.empty()) return merged;
  std::vector<std::map<RowKey, const json*>> index(tables.size());
  for (std::size_t t = 0; t < tables.size(); ++t) {
    for (const json& row : tables[t]) index[t][key_of(row)] = &row;
  }
  for (const json& first : tables.front()) {
    const RowKey k = key_of(first);
    json row = first;
    double slowest = 0;
    std::uint64_t mismatches = 0;
    bool everywhere = true;
    for (std::size_t t = 0; t < tables.size() && everywhere; ++t) {
      const auto it = index[t].find(k);
      if (it == index[t].end()) {
        everywhere = false;
        break;
      }
      const json& other = *it->second;
      slowest = std::max(slowest, other.at("time_s").get<double>());
      mismatches += other.at("mismatches").get<std::uint64_t>();
      if (other.contains("nccl_choice") && !other["nccl_choice"].is_null()) row["nccl_choice"] = other["nccl_choice"];
    }
    if (!everywhere) continue;
    const std::uint64_t size = std::get<2>(k);
    row["time_s"] = slowest;
    row["algbw_Bps"] = algbw(size, slowest);
    row["busbw_Bps"] = busbw(op, size, slowest, nranks);
    row["mismatches"] = mismatches;
    merged.push_back(std::move(row));
  }
  return merged;
}

json world_figures(CollectiveOp op, const json& merged_table, std::uint64_t plateau_bytes) {
  const std::string prefix = "nccl." + std::string(op_name(op));
  std::vector<std::pair<std::string, std::string>> groups;  // (dtype, placement), first-seen order
  for (const json& row : merged_table) {
    const std::pair<std::string, std::string> g{row.at("dtype").get<std::string>(),
                                                row.at("placement").get<std::string>()};
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  }
  json figures = json::array();
  for (const auto& [dtype, placement] : groups) {
    std::vector<SizeResult> rows;
    double mismatches = 0;
    for (const json& row : merged_table) {
      if (row.at("dtype") != dtype || row.at("placement") != placement) continue;
      SizeResult r;
      r.size_bytes = row.at("size_bytes").get<std::uint64_t>();
      r.seconds = row.at("time_s").get<double>();
      r.busbw = row.at("busbw_Bps").get<double>();
      r.mismatches = row.at("mismatches").get<std::uint64_t>();
      mismatches += static_cast<double>(r.mismatches);
      rows.push_back(r);
    }
    const Headline h = headline(rows, plateau_bytes);
    const json labels = {{"dtype", dtype}, {"placement", placement}};
    if (h.plateau_mean) {
      json l = labels;
      l["sizes"] = "plateau";
      figures.push_back({{"metric", prefix + "/bus_bandwidth"}, {"labels", l}, {"value", *h.plateau_mean}, {"unit", "B/s"}});
    }
    json l = labels;
    l["sizes"] = "largest";
    l["size_bytes"] = std::to_string(h.largest_bytes);
    figures.push_back({{"metric", prefix + "/bus_bandwidth"},
                       {"labels", l},
                       {"value", h.at_largest ? json(*h.at_largest) : json(nullptr)},
                       {"unit", "B/s"}});
    figures.push_back({{"metric", prefix + "/mismatches"}, {"labels", labels}, {"value", mismatches}, {"unit", "count"}});
  }
  return figures;
}

json pairwise_section(const WorldLayout& layout, const std::vector<std::string>& host_of_mpi_rank,
                      const std::vector<PairResult>& results, double margin) {
  const std::size_t n = layout.members.size();
  auto host = [&](int member) {
    const int mpi = layout.members.at(static_cast<std::size_t>(member)).mpi_rank;
    return static_cast<std::size_t>(mpi) < host_of_mpi_rank.size() ? host_of_mpi_rank[static_cast<std::size_t>(mpi)]
                                                                    : "rank " + std::to_string(mpi);
  };
  PairMatrix matrix(n, std::vector<std::optional<double>>(n));
  json pairs = json::array(), bad_data = json::array();
  for (const PairResult& r : results) {
    const std::size_t a = static_cast<std::size_t>(r.pair.a), b = static_cast<std::size_t>(r.pair.b);
    if (r.bus_bandwidth) matrix[a][b] = matrix[b][a] = *r.bus_bandwidth;
    pairs.push_back({{"round", r.pair.round},
                     {"a", host(r.pair.a)},
                     {"b", host(r.pair.b)},
                     {"mpi_ranks", {r.pair.root_mpi, r.pair.other_mpi}},
                     {"bus_bandwidth", r.bus_bandwidth ? json(*r.bus_bandwidth) : json(nullptr)},
                     {"mismatches", r.mismatches ? json(*r.mismatches) : json(nullptr)},
                     {"error_id", r.error_id},
                     {"error_message", r.error_message}});
    if (r.mismatches && *r.mismatches > 0) bad_data.push_back({{"a", host(r.pair.a)}, {"b", host(r.pair.b)}});
  }
  const Localisation loc = localise(matrix, margin);
  json scores = json::array();
  for (const NodeScore& s : loc.scores) {
    scores.push_back({{"host", host(s.node)},
                      {"mpi_rank", layout.members.at(static_cast<std::size_t>(s.node)).mpi_rank},
                      {"score", s.score ? json(*s.score) : json(nullptr)},
                      {"pairs", s.pairs}});
  }
  json slow_nodes = json::array();
  for (std::size_t i = 0; i < loc.slow_nodes.size(); ++i) {
    const int node = loc.slow_nodes[i];
    json slow_pairs = json::array();
    for (const SlowPair& sp : loc.slow_pairs_of_node[i]) {
      const int other = sp.pair.first == node ? sp.pair.second : sp.pair.first;
      slow_pairs.push_back({{"with", host(other)}, {"bus_bandwidth", sp.bandwidth}});
    }
    slow_nodes.push_back({{"host", host(node)},
                          {"score", loc.scores.at(static_cast<std::size_t>(node)).score.value_or(0.0)},
                          {"slow_pairs", std::move(slow_pairs)}});
  }
  json slow_links = json::array();
  for (const SlowPair& sp : loc.slow_links) {
    slow_links.push_back({{"a", host(sp.pair.first)}, {"b", host(sp.pair.second)}, {"bus_bandwidth", sp.bandwidth}});
  }
  return {{"margin", margin},
          {"pairs", std::move(pairs)},
          {"scores", std::move(scores)},
          {"reference", loc.reference ? json(*loc.reference) : json(nullptr)},
          {"pair_reference", loc.pair_reference ? json(*loc.pair_reference) : json(nullptr)},
          {"slow_nodes", std::move(slow_nodes)},
          {"slow_links", std::move(slow_links)},
          {"bad_data", std::move(bad_data)}};
}

}  // namespace tranche::nccl

namespace tranche::nccl {

namespace {

json error_entry(int mpi_rank, const std::string& host, const json& measurement) {
  const json err = measurement.value("error", json::object());
  return {{"mpi_rank", mpi_rank},
          {"host", host},
          {"error_id", err.is_object() ? err.value("id", std::string()) : std::string()},
          {"message", err.is_object() ? err.value("message", std::string()) : std::string()}};
}

std::optional<double> largest_busbw(const json& measurement) {
  for (const json& metric : measurement.value("metrics", json::array())) {
    const json labels = metric.value("labels", json::object());
    if (metric.value("name", "") == "nccl.sendrecv/bus_bandwidth" && labels.value("sizes", "") == "largest" &&
        metric.contains("value") && metric["value"].is_number()) {
      return metric["value"].get<double>();
    }
  }
  return std::nullopt;
}

std::optional<double> mismatches_of(const json& measurement) {
  for (const json& metric : measurement.value("metrics", json::array())) {
    if (metric.value("name", "") == "nccl.sendrecv/mismatches" && metric.contains("value") &&
        metric["value"].is_number()) {
      return metric["value"].get<double>();
    }
  }
  return std::nullopt;
}

}  // namespace

json cross_node_section(const std::vector<json>& per_rank) {
  const json layout_j = !per_rank.empty() && per_rank[0].is_object() ? per_rank[0].value("layout", json::object())
                                                                       : json::object();
  const std::vector<std::string> hosts = layout_j.value("hosts", std::vector<std::string>{});
  const WorldLayout layout = layout_world(layout_j.value("gpus", std::vector<int>{}));
  auto host_of = [&](int mpi) {
    return static_cast<std::size_t>(mpi) < hosts.size() ? hosts[static_cast<std::size_t>(mpi)] : std::string("?");
  };
  json members = json::array(), excluded = json::array();
  for (const WorldMember& m : layout.members) {
    members.push_back({{"mpi_rank", m.mpi_rank}, {"host", host_of(m.mpi_rank)}, {"first_rank", m.first_rank},
                       {"gpus", m.gpus}});
  }
  for (int r : layout.excluded) {
    excluded.push_back({{"mpi_rank", r}, {"host", host_of(r)}, {"reason", "no GPU in its node run"}});
  }
  json section = {{"world", {{"nranks", layout.nranks}, {"members", members}, {"excluded", excluded}}},
                  {"not_run_reason", layout_j.contains("not_run") ? layout_j["not_run"] : json(nullptr)},
                  {"collectives", json::array()},
                  {"pairwise", nullptr}};

  // Each rank's jobs, by job name (collectives) and by (round, a, b) (pairs).
  static const json kNoJobs = json::array();
  auto jobs_of = [&](std::size_t r) -> const json& {  // a reference: callers keep pointers into it
    if (r >= per_rank.size() || !per_rank[r].is_object()) return kNoJobs;
    const auto it = per_rank[r].find("jobs");
    return it != per_rank[r].end() && it->is_array() ? *it : kNoJobs;
  };
  for (const json& c : layout_j.value("collectives", json::array())) {
    const std::string check = c.value("check", "");
    const std::optional<CollectiveOp> op = op_from_check_id(check);
    if (!op) continue;
    json entry = {{"check", check}, {"status", "measured"}, {"errors", json::array()}, {"figures", json::array()},
                  {"algorithm", nullptr}, {"table", json::array()}};
    if (!section["not_run_reason"].is_null()) {
      entry["status"] = "not_run";
      section["collectives"].push_back(entry);
      continue;
    }
    std::vector<json> tables;
    for (const WorldMember& m : layout.members) {
      const std::size_t r = static_cast<std::size_t>(m.mpi_rank);
      const json* found = nullptr;
      for (const json& j : jobs_of(r)) {
        if (j.is_object() && j.value("job", "") == check && j.contains("measurement")) found = &j;
      }
      if (!found) {
        entry["errors"].push_back({{"mpi_rank", m.mpi_rank}, {"host", host_of(m.mpi_rank)},
                                   {"error_id", "E_WORKER_DIED"}, {"message", "the rank reported no result"}});
        continue;
      }
      const json& meas = (*found)["measurement"];
      if (meas.value("status", "") != "ok") {
        entry["errors"].push_back(error_entry(m.mpi_rank, host_of(m.mpi_rank), meas));
        continue;
      }
      const json details = meas.value("details", json::object());
      tables.push_back(details.value("table", json::array()));
      if (m.first_rank == 0) entry["algorithm"] = details.value("algorithm", json(nullptr));
    }
    if (!entry["errors"].empty()) {
      entry["status"] = "error";
    } else {
      const json params = c.value("params", json::object());
      entry["table"] = merge_world_tables(*op, layout.nranks, tables);
      entry["figures"] = world_figures(*op, entry["table"],
                                       params.value("plateau_bytes", std::uint64_t{1} << 30));
    }
    section["collectives"].push_back(entry);
  }

  const json pw = layout_j.value("pairwise", json(nullptr));
  if (!pw.is_null()) {
    std::map<std::tuple<int, int, int>, PairResult> results;  // (round, a, b)
    for (std::size_t r = 0; r < per_rank.size(); ++r) {
      for (const json& j : jobs_of(r)) {
        if (!j.is_object() || j.value("job", "") != "pair" || !j.contains("measurement")) continue;
        const auto key = std::make_tuple(j.value("round", 0), j.value("a", 0), j.value("b", 0));
        PairResult& pr = results[key];
        pr.pair.round = std::get<0>(key);
        pr.pair.a = std::get<1>(key);
        pr.pair.b = std::get<2>(key);
        if (static_cast<std::size_t>(pr.pair.a) >= layout.members.size() ||
            static_cast<std::size_t>(pr.pair.b) >= layout.members.size()) {
          results.erase(key);
          continue;
        }
        pr.pair.root_mpi = layout.members[static_cast<std::size_t>(pr.pair.a)].mpi_rank;
        pr.pair.other_mpi = layout.members[static_cast<std::size_t>(pr.pair.b)].mpi_rank;
        const json& meas = j["measurement"];
        if (meas.value("status", "") != "ok") {
          if (pr.error_id.empty()) {
            const json e = error_entry(static_cast<int>(r), host_of(static_cast<int>(r)), meas);
            pr.error_id = e["error_id"];
            pr.error_message = host_of(static_cast<int>(r)) + ": " + e["message"].get<std::string>();
          }
          pr.bus_bandwidth.reset();
          continue;
        }
        // Both nodes time the same exchange; the pair's figure is the slower side's.
        const std::optional<double> bw = largest_busbw(meas);
        if (pr.error_id.empty() && bw) pr.bus_bandwidth = pr.bus_bandwidth ? std::min(*pr.bus_bandwidth, *bw) : *bw;
        if (const auto mm = mismatches_of(meas)) pr.mismatches = pr.mismatches.value_or(0) + *mm;
      }
    }
    std::vector<PairResult> list;
    for (auto& [k, v] : results) list.push_back(v);
    json p = pairwise_section(layout, hosts, list, pw.value("margin", 0.1));
    p["size_bytes"] = pw.value("size_bytes", std::int64_t{1} << 30);
    p["status"] = section["not_run_reason"].is_null() ? "measured" : "not_run";
    section["pairwise"] = std::move(p);
  }
  return section;
}

}  // namespace tranche::nccl

// Tranche aggregation over rack reports: roll-up, distributions across racks, concatenated RMA list.
#include "reports/tranche_report.h"

#include <chrono>
#include <map>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/outcome.h"
#include "reports/fleet_stats.h"
#include "reports/rack_report.h"

namespace tranche {

using nlohmann::json;

json load_rack_report(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON (byte " + std::to_string(e.byte) +
                     "); the rack report is corrupt or truncated — re-run tranche rack");
  }
  if (!j.is_object()) throw InputError(path + ": not a rack report (expected a JSON object)");
  const std::string schema = json_string(j, "schema", path);
  if (schema != kRackReportSchema) {
    throw InputError(path + ": schema '" + schema + "' is not " + kRackReportSchema +
                     " (give rack reports written by tranche rack)");
  }
  for (const char* key : {"name", "acceptance", "worst"}) json_string(j, key, path);
  for (const char* key : {"nodes", "skus", "outliers", "rma", "excluded"}) {
    if (!json_at(j, key, path).is_array()) throw InputError(path + ": '" + key + "' must be an array");
  }
  json_at(j, "expected_hosts", path);
  return j;
}

json aggregate_tranche(const std::vector<RackInput>& racks, const std::string& name, const ToolInfo& tool) {
  json rack_rows = json::array(), rma = json::array(), outliers = json::array(), missing = json::array();
  json excluded = json::array();
  std::map<std::string, std::map<std::string, std::pair<std::string, std::vector<double>>>> medians;
  bool rejected = false, incomplete = racks.empty();
  Outcome worst_seen = Outcome::skip;
  long long nodes = 0, accepted_nodes = 0;
  std::map<std::string, std::string> rack_of_name;
  for (const auto& in : racks) {
    const json& r = in.report;
    const std::string rack = r["name"].get<std::string>().empty() ? in.file : r["name"].get<std::string>();
    if (auto it = rack_of_name.find(rack); it != rack_of_name.end()) {
      throw InputError(in.file + ": rack '" + rack + "' is also " + it->second + " (give each rack once)");
    }
    rack_of_name[rack] = in.file;
    const auto acc = acceptance_from_string(r["acceptance"].get<std::string>());
    const auto w = outcome_from_string(r["worst"].get<std::string>());
    if (!acc || !w) throw InputError(in.file + ": acceptance or worst is not a known value");
    rejected |= *acc == Acceptance::rejected;
    incomplete |= *acc == Acceptance::incomplete;
    worst_seen = worst(worst_seen, *w);
    const long long n = json_integer(json_at(r, "counts", in.file), "nodes", in.file + ".counts");
    const long long a = json_integer(r["counts"], "accepted_nodes", in.file + ".counts");
    nodes += n;
    accepted_nodes += a;
    rack_rows.push_back({{"rack", rack}, {"file", in.file}, {"sha256", in.sha256}, {"acceptance", r["acceptance"]},
                         {"worst", r["worst"]}, {"nodes", n}, {"accepted_nodes", a}, {"rma", r["rma"].size()},
                         {"outliers", r["outliers"].size()},
                         {"missing_hosts", r["expected_hosts"].value("missing", json::array()).size()}});
    for (auto e : r["rma"]) { e["rack"] = rack; rma.push_back(std::move(e)); }
    for (auto e : r["outliers"]) { e["rack"] = rack; outliers.push_back(std::move(e)); }
    for (const auto& h : r["expected_hosts"].value("missing", json::array())) {
      missing.push_back({{"rack", rack}, {"host", h}});
    }
    for (auto e : r["excluded"]) { e["rack"] = rack; excluded.push_back(std::move(e)); }
    for (const auto& sku : r["skus"]) {
      for (const auto& m : sku["metrics"]) {
        auto& slot = medians[sku["sku"].get<std::string>()][m["metric"].get<std::string>()];
        slot.first = m["unit"].get<std::string>();
        slot.second.push_back(m["nodes"]["median"].get<double>());
      }
    }
  }
  json skus = json::array();
  for (const auto& [sku, by_metric] : medians) {
    json metrics = json::array();
    for (const auto& [metric, unit_values] : by_metric) {
      metrics.push_back({{"metric", metric}, {"unit", unit_values.first},
                         {"racks", to_json(distribution_of(unit_values.second))}});
    }
    skus.push_back({{"sku", sku}, {"metrics", metrics}});
  }
  const Acceptance acceptance = rejected ? Acceptance::rejected
                                : incomplete ? Acceptance::incomplete
                                             : Acceptance::accepted;
  const std::string headline = std::string(to_string(acceptance)) + ": " + std::to_string(accepted_nodes) + "/" +
                               std::to_string(nodes) + " nodes accepted in " + std::to_string(racks.size()) +
                               " racks, " + std::to_string(rma.size()) + " GPUs to return, " +
                               std::to_string(outliers.size()) + " fleet outliers, " +
                               std::to_string(missing.size()) + " hosts missing";
  return json{{"schema", kTrancheReportSchema},
              {"tool", {{"name", tool.name}, {"version", tool.version}, {"git_sha", tool.git_sha}}},
              {"name", name},
              {"created_at", to_iso8601(std::chrono::system_clock::now())},
              {"acceptance", to_string(acceptance)},
              {"worst", to_string(worst_seen)},
              {"headline", headline},
              {"counts", {{"racks", racks.size()}, {"nodes", nodes}, {"accepted_nodes", accepted_nodes}}},
              {"racks", rack_rows},
              {"skus", skus},
              {"outliers", outliers},
              {"rma", rma},
              {"missing_hosts", missing},
              {"excluded", excluded}};
}

}  // namespace tranche

// NodeDigest from the full node report model: the definition of what the fast reader must extract.
#include "reports/node_digest.h"

#include <algorithm>
#include <cmath>

namespace tranche {

std::string figure_key(const std::string& metric, const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return metric;
  std::string k = metric + "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) k += ",";
    k += name + "=" + value;
    first = false;
  }
  return k + "}";
}

bool is_performance_unit(const std::string& unit) { return unit == "B/s" || unit == "FLOP/s" || unit == "s"; }
bool lower_is_better(const std::string& unit) { return unit == "s"; }

namespace {
std::string inventory_string(const nlohmann::json& gpu, const char* key) {
  auto it = gpu.find(key);
  return it != gpu.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

int standing_direction(std::string_view rule) {
  if (rule == "higher_is_better") return 1;
  if (rule == "lower_is_better") return -1;
  return 0;
}

void note_standing(NodeDigest& d, const std::string& check_id, int direction, std::optional<double> ratio) {
  if (direction == 0 || !ratio || !(*ratio > 0) || !std::isfinite(*ratio)) return;
  const double standing = direction > 0 ? *ratio : 1.0 / *ratio;
  auto [it, fresh] = d.standing_by_check.emplace(check_id, standing);
  if (!fresh) it->second = std::min(it->second, standing);
}

NodeDigest node_digest_from_report(const NodeReport& r) {
  NodeDigest d;
  d.schema = r.schema;
  d.host = r.host;
  d.baseline_id = r.baseline.id;
  d.baseline_sha256 = r.baseline.sha256;
  if (auto it = r.inventory.find("gpus"); it != r.inventory.end() && it->is_array()) {
    for (const auto& g : *it) {
      if (!g.is_object()) continue;
      GpuIdentity id;
      if (auto ix = g.find("index"); ix != g.end() && ix->is_number_integer()) id.index = ix->get<int>();
      id.name = inventory_string(g, "name");
      id.serial = inventory_string(g, "serial");
      id.uuid = inventory_string(g, "uuid");
      id.pci_bus_id = inventory_string(g, "pci_bus_id");
      d.gpus.push_back(std::move(id));
    }
  }
  for (const auto& m : r.measurements) {
    for (const auto& metric : m.metrics) {
      if (!metric.value || !is_performance_unit(metric.unit)) continue;
      d.figures.push_back({figure_key(metric.name, metric.labels), metric.unit, metric.device, *metric.value});
    }
  }
  for (const auto& v : r.verdicts) {
    d.outcomes_by_check[v.check_id][static_cast<size_t>(v.outcome)] += 1;
    note_standing(d, v.check_id, standing_direction(v.rule), v.ratio);
    if (v.outcome == Outcome::pass || (v.outcome == Outcome::skip && !v.required)) continue;
    d.problems.push_back({v.check_id, v.metric, v.device, v.outcome, v.message, v.error_id});
  }
  d.summary = r.summary;
  return d;
}

}  // namespace tranche

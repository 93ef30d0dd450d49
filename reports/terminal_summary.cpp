// render_terminal_summary: worst verdict per (check, GPU), with the check's headline figure.
#include "reports/terminal_summary.h"

#include <cstdio>
#include <map>

#include "harness/core/model_json.h"
#include "reports/units.h"

namespace tranche {

namespace {
struct Row {
  const Verdict* worst = nullptr;
  const Metric* figure = nullptr;
};

std::string gpu_label(const std::optional<int>& d) { return d ? std::to_string(*d) : "-"; }
}  // namespace

std::string render_terminal_summary(const NodeReport& r) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "tranche %s - host %s - %s - profile %s - baseline %s\n", r.tool.version.c_str(),
                r.host.c_str(), to_iso8601(r.started_at).c_str(), r.profile.name.c_str(),
                r.baseline.id.empty() ? "(none)" : r.baseline.id.c_str());
  out += line;

  // Keyed by (check, device) in first-seen order. Node-scoped checks report per-GPU metrics: a figure belongs to
  // its metric's GPU, not the measurement's.
  std::vector<std::pair<std::string, std::optional<int>>> order;
  std::map<std::pair<std::string, int>, Row> rows;
  auto row_for = [&](const std::string& check, const std::optional<int>& dev) -> Row& {
    const auto k = std::make_pair(check, dev.value_or(-1));
    auto it = rows.find(k);
    if (it != rows.end()) return it->second;
    order.emplace_back(check, dev);
    return rows[k];
  };
  for (const auto& m : r.measurements) {
    row_for(m.check_id, m.device);
    for (const auto& metric : m.metrics) {
      if (metric.name.find("/mismatches") != std::string::npos) continue;
      Row& row = row_for(m.check_id, metric.device ? metric.device : m.device);
      if (!row.figure) row.figure = &metric;
    }
  }
  for (const auto& v : r.verdicts) {
    Row& row = row_for(v.check_id, v.device);
    if (!row.worst || severity(v.outcome) > severity(row.worst->outcome)) row.worst = &v;
  }

  std::snprintf(line, sizeof line, "%-24s %-4s %-8s %-18s %s\n", "CHECK", "GPU", "OUTCOME", "FIGURE", "NOTE");
  out += line;
  for (const auto& [check, dev] : order) {
    const Row& row = rows.at(std::make_pair(check, dev.value_or(-1)));
    const std::string outcome = row.worst ? std::string(to_string(row.worst->outcome)) : "-";
    const std::string figure = row.figure ? format_value(row.figure->value, row.figure->unit) : "-";
    std::string note = row.worst ? row.worst->message : "";
    if (row.worst && !row.worst->error_id.empty()) note = row.worst->error_id + ": " + note;
    if (note.size() > 160) note = note.substr(0, 157) + "...";
    std::snprintf(line, sizeof line, "%-24s %-4s %-8s %-18s %s\n", check.c_str(), gpu_label(dev).c_str(),
                  outcome.c_str(), figure.c_str(), note.c_str());
    out += line;
  }
  out += "Verdict: " + r.summary.headline + "\n";
  return out;
}

}  // namespace tranche

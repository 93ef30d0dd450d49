// render_terminal_summary: worst verdict per (GPU, check) laid out by render_table.
#include "reports/terminal_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "harness/core/model_json.h"
#include "reports/gpu_summary.h"
#include "reports/units.h"

namespace tranche {

namespace {

struct Row {
  const Verdict* worst = nullptr;
  const Metric* figure = nullptr;
};

bool has_reference(const Verdict* v) { return v->reference.has_value() && v->observed.has_value(); }

std::string ratio_text(const std::optional<double>& ratio) {
  if (!ratio) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *ratio);
  return buf;
}

}  // namespace

std::string render_terminal_summary(const NodeReport& r, const TableStyle& style) {
  std::string out = wrap_line("tranche " + r.tool.version + " - host " + r.host + " - " + to_iso8601(r.started_at) +
                                  " - profile " + r.profile.name + " - baseline " +
                                  (r.baseline.id.empty() ? "(none)" : r.baseline.id),
                              prose_width(style), 4);

  std::map<int, int> smi_index;  // CUDA ordinal -> nvidia-smi index
  for (const auto& g : summarize_gpus(r)) smi_index[g.gpu] = g.index;
  auto gpu_key = [&](const std::optional<int>& dev) {
    if (!dev) return -1;
    const auto it = smi_index.find(*dev);
    return it != smi_index.end() ? it->second : *dev;
  };

  // Keyed by (GPU, check); checks keep their run order (first seen). Node-scoped checks report per-GPU metrics:
  // a figure belongs to its metric's GPU, not the measurement's.
  std::vector<std::string> check_order;
  std::map<std::pair<int, std::string>, Row> rows;
  auto row_for = [&](const std::string& check, const std::optional<int>& dev) -> Row& {
    if (std::find(check_order.begin(), check_order.end(), check) == check_order.end()) check_order.push_back(check);
    return rows[{gpu_key(dev), check}];
  };
  for (const auto& m : r.measurements) {
    const bool per_gpu_only =
        !m.metrics.empty() && std::all_of(m.metrics.begin(), m.metrics.end(), [](const Metric& x) { return x.device; });
    if (!per_gpu_only || m.device) row_for(m.check_id, m.device);
    for (const auto& metric : m.metrics) {
      if (metric.name.find("/mismatches") != std::string::npos) continue;
      Row& row = row_for(m.check_id, metric.device ? metric.device : m.device);
      if (!row.figure) row.figure = &metric;
    }
  }
  for (const auto& v : r.verdicts) {
    Row& row = row_for(v.check_id, v.device);
    const int a = row.worst ? severity(row.worst->outcome) : -1, b = severity(v.outcome);
    if (b > a || (b == a && !has_reference(row.worst) && has_reference(&v))) row.worst = &v;
  }
  auto check_rank = [&](const std::string& c) { return std::find(check_order.begin(), check_order.end(), c) - check_order.begin(); };
  std::vector<std::pair<int, std::string>> keys;
  for (const auto& [k, row] : rows) keys.push_back(k);
  std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : check_rank(a.second) < check_rank(b.second);
  });

  const std::vector<TableColumn> columns = {{"GPU", true},        {"CHECK", false, 24}, {"OBSERVED", true},
                                            {"REFERENCE", true},  {"RATIO", true},      {"OUTCOME"},
                                            {"NOTE"}};
  std::vector<std::vector<TableCell>> cells;
  for (const auto& key : keys) {
    const Row& row = rows.at(key);
    const Verdict* v = row.worst;
    std::string observed = "-";
    if (v && v->observed) observed = format_value(v->observed, v->unit);
    else if (row.figure) observed = format_value(row.figure->value, row.figure->unit);
    const std::string reference = v && v->reference ? format_value(v->reference, v->unit) : "";
    std::string note;
    if (v && v->outcome != Outcome::pass) {
      note = v->error_id.empty() ? v->message : v->error_id + ": " + v->message;
      if (display_width(note) > 240) note = note.substr(0, 237) + "...";
    }
    const Tone tone = v ? tone_of(v->outcome) : Tone::muted;
    cells.push_back({{key.first < 0 ? "node" : std::to_string(key.first)},
                     {key.second},
                     {observed},
                     {reference},
                     {v ? ratio_text(v->ratio) : "", v && v->ratio ? tone : Tone::plain},
                     {v ? std::string(to_string(v->outcome)) : "-", tone},
                     {note}});
  }
  out += render_table(columns, cells, style);
  out += wrap_line("Verdict: " + r.summary.headline, prose_width(style), 9,
                   tone_of_acceptance(std::string(to_string(r.summary.acceptance))), style.colour, 9);
  return out;
}

}  // namespace tranche

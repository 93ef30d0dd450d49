// render_rack_summary, render_compare_summary: rack and compare reports (JSON) through render_table.
#include "reports/fleet_tables.h"

#include <cmath>
#include <cstdio>

#include "reports/units.h"

namespace tranche {

namespace {

using json = nlohmann::json;

std::string text_at(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const json& array_at(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

std::optional<double> number_at(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

// "0.49"; "" for NaN (no ratio).
std::string ratio_text(double r) {
  if (!std::isfinite(r)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  return buf;
}

Tone outcome_tone(const std::string& s) {
  const auto o = outcome_from_string(s);
  return o ? tone_of(*o) : Tone::plain;
}

std::string verdict_line(const json& report, const TableStyle& style) {
  return wrap_line("Verdict: " + text_at(report, "headline"), prose_width(style), 9,
                   tone_of_acceptance(text_at(report, "acceptance")), style.colour, 9);
}

// "node-a01 GPU 3 SN1654..." from a compare subject ({host, gpu, serial} or {sku} or {rack}).
std::string subject_text(const json& s) {
  if (!s.is_object()) return s.dump();
  std::string out;
  for (const char* key : {"sku", "rack", "tranche", "host"}) {
    if (auto it = s.find(key); it != s.end() && it->is_string()) out += (out.empty() ? "" : " ") + it->get<std::string>();
  }
  if (auto g = s.find("gpu"); g != s.end() && g->is_number_integer()) out += " GPU " + std::to_string(g->get<int>());
  if (auto sn = s.find("serial"); sn != s.end() && sn->is_string()) out += " SN" + sn->get<std::string>();
  return out.empty() ? s.dump() : out;
}

}  // namespace

std::string render_rack_summary(const json& rack, const TableStyle& style) {
  std::string out = "rack " + text_at(rack, "name") + "\n";
  std::vector<std::vector<TableCell>> rows;
  std::size_t nodes = 0;
  for (const auto& n : array_at(rack, "nodes")) {
    ++nodes;
    const std::string acceptance = text_at(n, "acceptance");
    if (acceptance == "accepted") continue;
    std::string failing;
    for (const auto& c : array_at(n, "failing_checks")) failing += (failing.empty() ? "" : ", ") + c.get<std::string>();
    rows.push_back({{text_at(n, "host")}, {acceptance, tone_of_acceptance(acceptance)},
                    {text_at(n, "worst"), outcome_tone(text_at(n, "worst"))}, {failing}});
  }
  out += std::to_string(nodes - rows.size()) + " of " + std::to_string(nodes) + " nodes accepted\n";
  if (!rows.empty()) out += render_table({{"HOST"}, {"ACCEPTANCE"}, {"WORST"}, {"FAILING CHECKS"}}, rows, style);

  rows.clear();
  for (const auto& g : array_at(rack, "rma")) {
    for (const auto& f : array_at(g, "failures")) {
      const std::string id = text_at(f, "error_id");
      const std::string why = (id == "-" || id.empty() ? "" : id + ": ") + text_at(f, "message");
      rows.push_back({{text_at(g, "host")}, {text_at(g, "gpu")}, {text_at(g, "serial")}, {text_at(g, "pci_bus_id")},
                      {text_at(f, "check_id"), Tone::bad}, {why}});
    }
  }
  if (!rows.empty()) {
    out += "GPUs to return (" + std::to_string(array_at(rack, "rma").size()) + "):\n";
    out += render_table({{"HOST"}, {"GPU", true}, {"SERIAL"}, {"BUS ID"}, {"CHECK"}, {"WHY"}}, rows, style);
  }

  rows.clear();
  for (const auto& o : array_at(rack, "outliers")) {
    const std::string unit = text_at(o, "unit");
    const auto value = number_at(o, "value"), median = number_at(o, "median");
    const double ratio = value && median && *median != 0 ? *value / *median : std::nan("");
    const std::string outcome = text_at(o, "outcome");
    rows.push_back({{text_at(o, "host")}, {text_at(o, "gpu")}, {text_at(o, "metric")},
                    {format_value(value, unit)}, {format_value(median, unit)}, {ratio_text(ratio)},
                    {outcome, outcome_tone(outcome)}});
  }
  if (!rows.empty()) {
    out += "Fleet outliers (" + std::to_string(rows.size()) + "):\n";
    out += render_table({{"HOST"}, {"GPU", true}, {"METRIC", false, 34}, {"OBSERVED", true}, {"RACK MEDIAN", true},
                         {"RATIO", true}, {"OUTCOME"}},
                        rows, style);
  }
  if (auto e = rack.find("expected_hosts"); e != rack.end() && e->is_object()) {
    std::string missing;
    for (const auto& h : array_at(*e, "missing")) missing += (missing.empty() ? "" : " ") + h.get<std::string>();
    if (!missing.empty()) out += "Missing hosts: " + missing + "\n";
  }
  return out + verdict_line(rack, style);
}

std::string render_compare_summary(const json& cmp, const TableStyle& style) {
  std::string out = "compare " + text_at(cmp.value("before", json::object()), "file") + " -> " +
                    text_at(cmp.value("after", json::object()), "file") + " (tolerance " + text_at(cmp, "tolerance") +
                    ")\n";
  std::vector<std::vector<TableCell>> rows;
  const double tolerance = number_at(cmp, "tolerance").value_or(0.05);
  std::size_t within = 0;
  for (const auto& c : array_at(cmp, "changes")) {
    const bool regression = c.value("regression", false);
    const double ratio = number_at(c, "ratio").value_or(std::nan(""));
    const bool moved = std::isfinite(ratio) && std::fabs(ratio - 1.0) > tolerance;
    if (!regression && !moved) {
      ++within;
      continue;
    }
    const std::string unit = text_at(c, "unit");
    rows.push_back({{subject_text(c.value("subject", json::object()))}, {text_at(c, "metric")},
                    {format_value(number_at(c, "before"), unit)}, {format_value(number_at(c, "after"), unit)},
                    {ratio_text(ratio)},
                    {regression ? "regression" : "better", regression ? Tone::bad : Tone::good}});
  }
  if (!rows.empty()) {
    out += render_table({{"SUBJECT", false, 36}, {"METRIC", false, 34}, {"BEFORE", true}, {"AFTER", true},
                         {"RATIO", true}, {"OUTCOME"}},
                        rows, style);
  }
  out += std::to_string(within) + " figures within the tolerance\n";
  rows.clear();
  for (const auto& c : array_at(cmp, "outcome_changes")) {
    const std::string after = text_at(c, "after");
    rows.push_back({{subject_text(c.value("subject", json::object()))}, {text_at(c, "before")},
                    {after, outcome_tone(after) == Tone::plain ? tone_of_acceptance(after) : outcome_tone(after)}});
  }
  if (!rows.empty()) out += render_table({{"OUTCOME CHANGED"}, {"BEFORE"}, {"AFTER"}}, rows, style);
  for (const auto& m : array_at(cmp, "missing")) out += paint("missing: " + subject_text(m), Tone::bad, style.colour) + "\n";
  for (const auto& m : array_at(cmp, "added")) out += "added: " + subject_text(m) + "\n";
  for (const auto& m : array_at(cmp, "moved")) {
    out += "moved: " + subject_text(m.value("before", json::object())) + " -> " +
           subject_text(m.value("after", json::object())) + "\n";
  }
  const bool problem = cmp.value("regressions", 0) > 0 || !array_at(cmp, "missing").empty();
  return out + wrap_line("Verdict: " + text_at(cmp, "headline"), prose_width(style), 9, problem ? Tone::bad : Tone::good,
                         style.colour, 9);
}

}  // namespace tranche

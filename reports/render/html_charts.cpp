// Vega-Lite specifications for the HTML rendering (see html_charts.h). Data values stay in SI units in the
// report; the charts show GB/s, TFLOP/s and seconds with the conversion stated in the axis title.
#include "reports/render/html_charts.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/render/fleet_view.h"
#include "reports/render/node_rows.h"

namespace tranche::render {
namespace {

using json = nlohmann::json;
constexpr const char* kSchema = "https://vega.github.io/schema/vega-lite/v6.json";

const json kOutcomeColors = {{"domain", {"pass", "warn", "fail", "error", "skip", "unjudged"}},
                             {"range", {"#3a9d5d", "#e0a526", "#d9534f", "#8e44ad", "#9e9e9e", "#5b8fd9"}}};

json base(const std::string& description) { return {{"$schema", kSchema}, {"description", description}}; }

// Per (metric, labels) key: one bar per GPU at observed/reference, the warn and fail zones as bands, 1 as a rule.
std::optional<Chart> ratio_chart(const NodeReport& r) {
  json rows = json::array();
  std::map<std::string, std::pair<double, double>> zones;  // key -> (warn, fail) ratios
  std::map<std::string, bool> lower_better;
  std::map<std::string, double> top;
  for (const Verdict& v : r.verdicts) {
    if (!v.device || !v.ratio || !v.reference || !v.observed || !v.warn_ratio || !v.fail_ratio) continue;
    if (v.rule != "higher_is_better" && v.rule != "lower_is_better") continue;
    if (v.labels.count("peer")) continue;  // pairs are drawn as the P2P matrix
    const std::string labels = labels_text(v.labels);
    const std::string key = v.metric + (labels.empty() ? "" : " " + labels);
    rows.push_back({{"kind", "bar"}, {"key", key}, {"gpu", *v.device}, {"ratio", *v.ratio},
                    {"observed", *v.observed}, {"reference", *v.reference}, {"unit", v.unit},
                    {"outcome", std::string(to_string(v.outcome))}});
    zones[key] = {*v.warn_ratio, *v.fail_ratio};
    lower_better[key] = v.rule == "lower_is_better";
    top[key] = std::max(top[key], *v.ratio);
  }
  if (rows.empty()) return std::nullopt;
  for (const auto& [key, z] : zones) {
    const auto [warn, fail] = z;
    if (lower_better[key]) {
      const double hi = std::max({top[key], fail}) * 1.1;
      rows.push_back({{"kind", "band"}, {"key", key}, {"zone", "warn"}, {"lo", warn}, {"hi", fail}});
      rows.push_back({{"kind", "band"}, {"key", key}, {"zone", "fail"}, {"lo", fail}, {"hi", hi}});
    } else {
      rows.push_back({{"kind", "band"}, {"key", key}, {"zone", "warn"}, {"lo", fail}, {"hi", warn}});
      rows.push_back({{"kind", "band"}, {"key", key}, {"zone", "fail"}, {"lo", 0}, {"hi", fail}});
    }
  }
  json spec = base("Observed / baseline reference per check and GPU, with the warn and fail zones");
  spec["data"] = {{"values", rows}};
  spec["facet"] = {{"field", "key"}, {"type", "nominal"}, {"title", nullptr}, {"header", {{"labelLimit", 260}}}};
  spec["columns"] = 4;
  spec["resolve"] = {{"scale", {{"y", "independent"}}}};
  json bands = {{"transform", {{{"filter", "datum.kind === 'band'"}}}},
                {"mark", {{"type", "rect"}, {"opacity", 0.22}}},
                {"encoding",
                 {{"y", {{"field", "lo"}, {"type", "quantitative"}, {"title", "observed / reference"}}},
                  {"y2", {{"field", "hi"}}},
                  {"fill", {{"field", "zone"}, {"type", "nominal"}, {"title", "zone"},
                            {"scale", {{"domain", {"warn", "fail"}}, {"range", {"#e0a526", "#d9534f"}}}}}}}}};
  json bars = {{"transform", {{{"filter", "datum.kind === 'bar'"}}}},
               {"mark", "bar"},
               {"encoding",
                {{"x", {{"field", "gpu"}, {"type", "ordinal"}, {"title", "GPU"}}},
                 {"y", {{"field", "ratio"}, {"type", "quantitative"}}},
                 {"color", {{"field", "outcome"}, {"type", "nominal"}, {"scale", kOutcomeColors}}},
                 {"tooltip", {{{"field", "gpu"}}, {{"field", "key"}}, {{"field", "observed"}}, {{"field", "reference"}},
                              {{"field", "unit"}}, {{"field", "ratio"}, {"format", ".3f"}}, {{"field", "outcome"}}}}}}};
  json reference = {{"mark", {{"type", "rule"}, {"color", "#333"}}}, {"encoding", {{"y", {{"datum", 1}}}}}};
  spec["spec"] = {{"width", 150}, {"height", 110}, {"layer", {bands, bars, reference}}};
  return Chart{"chart-ratio", "Figures against the baseline, per check and GPU",
               "Bars: observed / reference (1 = the baseline reference, line); shaded: the warn and fail zones of "
               "each expectation. From the report's verdicts.",
               spec};
}

std::optional<Chart> nccl_chart(const NodeReport& r) {
  json rows = json::array();
  for (const Measurement& m : r.measurements) {
    if (m.check_id.rfind("nccl.", 0) != 0 || !m.details.contains("table") || !m.details["table"].is_array()) continue;
    for (const auto& t : m.details["table"]) {
      if (!t.contains("busbw_Bps") || !t["busbw_Bps"].is_number() || !t.value("size_bytes", json()).is_number()) {
        continue;
      }
      rows.push_back({{"series", m.check_id + " " + t.value("dtype", std::string()) + " " +
                                     t.value("placement", std::string())},
                      {"size_bytes", t["size_bytes"]},
                      {"busbw_GBps", t["busbw_Bps"].get<double>() / 1e9}});
    }
  }
  if (rows.empty()) return std::nullopt;
  json spec = base("NCCL bus bandwidth against message size");
  spec["data"] = {{"values", rows}};
  spec["width"] = 640;
  spec["height"] = 300;
  spec["mark"] = {{"type", "line"}, {"point", true}};
  spec["encoding"] = {
      {"x", {{"field", "size_bytes"}, {"type", "quantitative"}, {"scale", {{"type", "log"}, {"base", 2}}},
             {"title", "message size (bytes)"}}},
      {"y", {{"field", "busbw_GBps"}, {"type", "quantitative"}, {"title", "bus bandwidth (GB/s)"}}},
      {"color", {{"field", "series"}, {"type", "nominal"}, {"title", "collective"}}},
      {"tooltip", {{{"field", "series"}}, {{"field", "size_bytes"}}, {{"field", "busbw_GBps"}, {"format", ".1f"}}}}};
  return Chart{"chart-nccl", "NCCL bus bandwidth by message size",
               "Each size of each collective's sweep, bus bandwidth as nccl-tests defines it (details.table of the "
               "nccl.* measurements).",
               spec};
}

std::optional<Chart> p2p_chart(const NodeReport& r) {
  json rows = json::array();
  for (const Measurement& m : r.measurements) {
    if (m.check_id.rfind("p2p.", 0) != 0) continue;
    for (const Metric& f : m.metrics) {
      if (f.unit != "B/s" || !f.value || !f.labels.count("peer")) continue;
      const std::optional<int> gpu = f.device ? f.device : m.device;
      if (!gpu) continue;
      const auto method = f.labels.find("method");
      rows.push_back({{"matrix", f.name + (method == f.labels.end() ? "" : " " + method->second)},
                      {"gpu", *gpu},
                      {"peer", std::stoi(f.labels.at("peer"))},
                      {"GBps", *f.value / 1e9}});
    }
  }
  if (rows.empty()) return std::nullopt;
  json spec = base("Peer-to-peer bandwidth matrices");
  spec["data"] = {{"values", rows}};
  spec["facet"] = {{"field", "matrix"}, {"type", "nominal"}, {"title", nullptr}};
  spec["columns"] = 2;
  spec["resolve"] = {{"scale", {{"color", "independent"}}}};
  spec["spec"] = {
      {"width", 240},
      {"height", 240},
      {"mark", "rect"},
      {"encoding",
       {{"x", {{"field", "peer"}, {"type", "ordinal"}, {"title", "to GPU"}}},
        {"y", {{"field", "gpu"}, {"type", "ordinal"}, {"title", "from GPU"}}},
        {"color", {{"field", "GBps"}, {"type", "quantitative"}, {"title", "GB/s"}, {"scale", {{"scheme", "viridis"}}}}},
        {"tooltip", {{{"field", "gpu"}}, {{"field", "peer"}}, {{"field", "GBps"}, {"format", ".1f"}}}}}}};
  return Chart{"chart-p2p", "Peer-to-peer bandwidth matrix",
               "Each ordered GPU pair's bandwidth (the p2p.* figures with a peer label); a slow link shows as a "
               "dark cell.",
               spec};
}

std::optional<Chart> burnin_chart(const NodeReport& r) {
  json rows = json::array();
  const std::map<std::string, std::string> wanted = {
      {"gpu_temp_c", "GPU temperature (degC)"}, {"power_w", "power (W)"}, {"sm_clock_mhz", "SM clock (MHz)"}};
  for (const Measurement& m : r.measurements) {
    if (m.check_id.rfind("burnin.", 0) != 0) continue;
    const json& tel = m.details.contains("telemetry") ? m.details["telemetry"] : json();
    if (tel.is_object() && tel.contains("columns") && tel.contains("points")) {
      const auto& cols = tel["columns"];
      for (size_t c = 0; c < cols.size(); ++c) {
        const auto it = wanted.find(cols[c].get<std::string>());
        if (it == wanted.end()) continue;
        for (const auto& p : tel["points"]) {
          if (!p.is_array() || p.size() <= c || !p[c].is_number() || !p[0].is_number()) continue;
          rows.push_back({{"check", m.check_id}, {"gpu", tel.value("gpu", m.device.value_or(-1))},
                          {"quantity", it->second}, {"t_s", p[0]}, {"value", p[c]}});
        }
      }
    }
    // Throughput per interval: the samples of the flops figure, spread evenly over the time the check ran.
    const double ran = m.details.contains("burnin") ? m.details["burnin"].value("ran_s", m.duration_s) : m.duration_s;
    for (const Metric& f : m.metrics) {
      if (f.unit != "FLOP/s" || f.samples.empty()) continue;
      const double step = ran / static_cast<double>(f.samples.size());
      for (size_t i = 0; i < f.samples.size(); ++i) {
        rows.push_back({{"check", m.check_id}, {"gpu", f.device ? *f.device : m.device.value_or(-1)},
                        {"quantity", "TFLOPS per interval"}, {"t_s", step * (static_cast<double>(i) + 0.5)},
                        {"value", f.samples[i] / 1e12}});
      }
    }
  }
  if (rows.empty()) return std::nullopt;
  json spec = base("Burn-in timelines per GPU");
  spec["data"] = {{"values", rows}};
  spec["facet"] = {{"row", {{"field", "quantity"}, {"type", "nominal"}, {"title", nullptr}}}};
  spec["resolve"] = {{"scale", {{"y", "independent"}}}};
  spec["spec"] = {{"width", 640},
                  {"height", 140},
                  {"mark", {{"type", "line"}, {"strokeWidth", 1}}},
                  {"encoding",
                   {{"x", {{"field", "t_s"}, {"type", "quantitative"}, {"title", "time (s)"}}},
                    {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", nullptr}, {"scale", {{"zero", false}}}}},
                    {"color", {{"field", "gpu"}, {"type", "nominal"}, {"title", "GPU"}}},
                    {"detail", {{"field", "check"}}}}}};
  return Chart{"chart-burnin", "Burn-in timelines",
               "Telemetry sampled during burn-in (details.telemetry) and the throughput of each interval (the flops "
               "figure's samples, spread evenly over the run).",
               spec};
}

}  // namespace

std::vector<Chart> node_charts(const NodeReport& r) {
  std::vector<Chart> out;
  for (auto c : {ratio_chart(r), nccl_chart(r), p2p_chart(r), burnin_chart(r)}) {
    if (c) out.push_back(std::move(*c));
  }
  return out;
}

std::vector<Chart> rack_charts(const json& j) {
  // One cell per (node, check), coloured by the node's standing on that check (nodes[].standing: its lowest
  // ratio to the baseline reference, below 1 worse) and marked F when the check failed or errored on the node
  // (nodes[].failing_checks), O when one of its figures is a fleet outlier (outliers[]; the furthest one).
  std::map<std::pair<std::string, std::string>, json> cells;
  auto cell_at = [&cells](const std::string& host, const std::string& check) -> json& {
    json& c = cells[{host, check}];
    if (c.is_null()) c = {{"host", host}, {"check", check}, {"ratio", nullptr}, {"state", ""}, {"mark", ""}};
    return c;
  };
  for (const auto& n : j.at("nodes")) {
    const std::string host = text_at(n, "host");
    if (auto it = n.find("standing"); it != n.end()) {
      for (const auto& [check, ratio] : it->items()) cell_at(host, check)["ratio"] = ratio;
    }
    for (const auto& c : n.at("failing_checks")) {
      json& cell = cell_at(host, c.get<std::string>());
      cell["state"] = "failing";
      cell["mark"] = "F";
    }
  }
  for (const auto& o : j.at("outliers")) {
    const std::string metric = text_at(o, "metric");
    json& cell = cell_at(text_at(o, "host"), metric.substr(0, metric.rfind('/')));
    if (cell["state"] == "failing") continue;
    const double pct = o.at("percent_from_median").get<double>();
    if (cell.contains("percent") && std::abs(cell["percent"].get<double>()) >= std::abs(pct)) continue;
    cell["state"] = "outlier";
    cell["mark"] = "O";
    cell["percent"] = pct;
    cell["metric"] = metric;
  }
  json rows = json::array();
  for (auto& [key, cell] : cells) rows.push_back(std::move(cell));
  if (rows.empty()) return {};
  std::vector<std::string> hosts;
  for (const auto& n : j.at("nodes")) hosts.push_back(text_at(n, "host"));
  json spec = base("Nodes x checks: ratio to the baseline reference, failing checks and fleet outliers");
  spec["data"] = {{"values", rows}};
  spec["width"] = {{"step", 18}};
  spec["height"] = {{"step", 14}};
  spec["encoding"] = {
      {"x", {{"field", "check"}, {"type", "nominal"}, {"title", "check"}}},
      {"y", {{"field", "host"}, {"type", "nominal"}, {"title", "node"}, {"scale", {{"domain", hosts}}}}},
      {"tooltip", {{{"field", "host"}}, {{"field", "check"}}, {{"field", "ratio"}, {"format", ".3f"}},
                   {{"field", "state"}}, {{"field", "metric"}},
                   {{"field", "percent"}, {"format", "+.1f"}, {"title", "% from median"}}}}};
  spec["layer"] = json::array(
      {{{"mark", "rect"},
        {"encoding",
         {{"color", {{"field", "ratio"}, {"type", "quantitative"}, {"title", "ratio to baseline"},
                     {"scale", {{"scheme", "redyellowgreen"}, {"domain", {0.8, 1.2}}, {"domainMid", 1},
                                {"clamp", true}}}}}}}},
       {{"mark", {{"type", "text"}, {"fontSize", 9}, {"fontWeight", "bold"}}},
        {"encoding", {{"text", {{"field", "mark"}}}}}}});
  return {Chart{"chart-rack-heatmap", "Nodes x checks",
                "Colour: the node's lowest ratio to the baseline reference on that check (nodes[].standing; "
                "below 1 is worse, lower-is-better figures turned so), red at 0.8 or below, green at 1.2 or above. "
                "F: the check failed or errored on the node (nodes[].failing_checks); O: a figure is a fleet "
                "outlier (outliers[]). Every node of the rack is a row.",
                spec}};
}

std::vector<Chart> tranche_charts(const json& j) {
  json rows = json::array();
  for (const auto& r : j.at("racks")) {
    const int nodes = r.at("nodes").get<int>(), accepted = r.at("accepted_nodes").get<int>();
    rows.push_back({{"rack", text_at(r, "rack")}, {"state", "accepted"}, {"nodes", accepted}});
    rows.push_back({{"rack", text_at(r, "rack")}, {"state", "not accepted"}, {"nodes", nodes - accepted}});
  }
  if (rows.empty()) return {};
  json spec = base("Nodes accepted per rack");
  spec["data"] = {{"values", rows}};
  spec["width"] = {{"step", 28}};
  spec["height"] = 220;
  spec["mark"] = "bar";
  spec["encoding"] = {
      {"x", {{"field", "rack"}, {"type", "nominal"}}},
      {"y", {{"field", "nodes"}, {"type", "quantitative"}, {"stack", true}}},
      {"color", {{"field", "state"}, {"type", "nominal"},
                 {"scale", {{"domain", {"accepted", "not accepted"}}, {"range", {"#3a9d5d", "#d9534f"}}}}}},
      {"tooltip", {{{"field", "rack"}}, {{"field", "state"}}, {{"field", "nodes"}}}}};
  return {Chart{"chart-tranche-racks", "Nodes accepted per rack", "From racks[].nodes and racks[].accepted_nodes.",
                spec}};
}

std::vector<Chart> compare_charts(const json& j) {
  json rows = json::array();
  for (const auto& c : j.at("changes")) {
    if (!c.at("ratio").is_number()) continue;
    rows.push_back({{"subject", subject_text(c.at("subject"))}, {"metric", text_at(c, "metric")},
                    {"ratio", c.at("ratio")}, {"regression", c.at("regression")}});
  }
  if (rows.empty()) return {};
  json spec = base("After / before per compared figure");
  spec["data"] = {{"values", rows}};
  spec["width"] = 640;
  spec["height"] = 260;
  spec["mark"] = {{"type", "point"}, {"filled", true}};
  spec["encoding"] = {
      {"x", {{"field", "metric"}, {"type", "nominal"}, {"axis", {{"labelLimit", 160}}}}},
      {"y", {{"field", "ratio"}, {"type", "quantitative"}, {"title", "after / before"}, {"scale", {{"zero", false}}}}},
      {"color", {{"field", "regression"}, {"type", "nominal"},
                 {"scale", {{"domain", {false, true}}, {"range", {"#3a9d5d", "#d9534f"}}}}}},
      {"tooltip", {{{"field", "subject"}}, {{"field", "metric"}}, {{"field", "ratio"}, {"format", ".3f"}}}}};
  return {Chart{"chart-compare", "After / before", "The changes[] of the compare report; red: a regression.", spec}};
}

}  // namespace tranche::render

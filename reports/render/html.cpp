// HTML: one self-contained page per report (tables, and Vega-Lite charts whose scripts are inlined), so it opens
// offline and can be attached to a ticket. The page records script errors into #tranche-errors and marks each
// chart's drawn size on its container, which the headless-Chromium test reads back.
#include <sstream>

#include "harness/core/model_json.h"
#include "reports/render/escape.h"
#include "reports/render/fleet_view.h"
#include "reports/render/html_charts.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"
#include "reports/render/vega_assets.h"

namespace tranche::render {
namespace {

constexpr const char* kStyle = R"(body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
.accepted,.pass{color:#2e7d46}.rejected,.fail{color:#c0392b;font-weight:600}.incomplete,.error{color:#8e44ad}
.warn{color:#b7791f}.note{color:#555;font-size:13px}.chart{margin:8px 0 16px}#tranche-errors:empty{display:none}
#tranche-errors{color:#c0392b;white-space:pre-wrap})";

// Installed before any other script: every uncaught error, rejected promise and console.error lands in
// #tranche-errors (the test fails on any), and window.__trancheErrors keeps them for a debugger.
constexpr const char* kErrorCapture = R"(window.__trancheErrors=[];(function(){
function note(m){window.__trancheErrors.push(String(m));var e=document.getElementById('tranche-errors');
if(e){e.textContent=window.__trancheErrors.join('\n');}}
window.addEventListener('error',function(e){note('error: '+(e.message||e));});
window.addEventListener('unhandledrejection',function(e){note('unhandled rejection: '+(e.reason&&e.reason.message||e.reason));});
var ce=console.error;console.error=function(){note('console.error: '+Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};
})();)";

// Draws every chart, then writes each one's drawn SVG size on its container and data-charts-done on <body>.
constexpr const char* kDrawCharts = R"((function(){
var charts=JSON.parse(document.getElementById('tranche-charts').textContent);
var done=charts.map(function(c){var el=document.getElementById(c.id);
return vegaEmbed(el,c.spec,{actions:false,renderer:'svg'}).then(function(){
var svg=el.querySelector('svg');var r=svg?svg.getBoundingClientRect():{width:0,height:0};
el.setAttribute('data-width',Math.round(r.width));el.setAttribute('data-height',Math.round(r.height));
}).catch(function(e){console.error('chart '+c.id+': '+e);});});
Promise.all(done).then(function(){document.body.setAttribute('data-charts-done',String(charts.length));});
})();)";

std::string acceptance_span(const std::string& a) {
  return "<span class=\"" + html_escape(a) + "\">" + html_escape(a) + "</span>";
}

class Table {
 public:
  explicit Table(std::vector<std::string> head) : head_(std::move(head)) {}
  void add(std::vector<std::string> cells_html) { rows_.push_back(std::move(cells_html)); }
  std::string html() const {
    std::string out = "<table><tr>";
    for (const auto& h : head_) out += "<th>" + html_escape(h) + "</th>";
    out += "</tr>\n";
    for (const auto& row : rows_) {
      out += "<tr>";
      for (const auto& c : row) out += "<td>" + c + "</td>";
      out += "</tr>\n";
    }
    return out + "</table>\n";
  }
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> head_;
  std::vector<std::vector<std::string>> rows_;
};

std::string e(const std::string& s) { return html_escape(s); }
std::string opt(const std::optional<std::string>& s) { return s ? html_escape(*s) : "-"; }

std::string node_body(const LoadedReport& lr) {
  const NodeReport& r = lr.node;
  std::ostringstream o;
  o << "<h1>tranche node report: " << e(r.host) << " — "
    << acceptance_span(std::string(to_string(r.summary.acceptance))) << "</h1>\n<p>" << e(r.summary.headline)
    << "</p>\n";
  Table info({"", ""});
  info.add({"Host", e(r.host)});
  info.add({"Started / finished", e(to_iso8601(r.started_at)) + " / " + e(to_iso8601(r.finished_at))});
  info.add({"Profile", e(r.profile.name)});
  info.add({"Baseline", r.baseline.id.empty() ? "none" : e(r.baseline.id)});
  info.add({"Driver", r.environment.driver_version.empty() ? "-" : e(r.environment.driver_version)});
  info.add({"Tool", "tranche " + e(r.tool.version) + " (" + e(r.tool.git_sha) + ")"});
  info.add({"Report", e(lr.file)});
  o << info.html();
  if (!r.read_note.empty()) o << "<p class=\"note\">" << e(r.read_note) << "</p>\n";

  const auto gpus = gpus_by_ordinal(r);
  Table gt({"GPU", "nvidia-smi", "Serial", "UUID", "PCI bus id", "Acceptance", "Reasons"});
  for (const auto& [ordinal, g] : gpus) {
    std::string reasons;
    for (const auto& reason : g.reasons) reasons += (reasons.empty() ? "" : "<br>") + e(reason);
    gt.add({std::to_string(ordinal), g.nvml_index ? std::to_string(*g.nvml_index) : "-", opt(g.serial), opt(g.uuid),
            opt(g.pci_bus_id), acceptance_span(g.acceptance), reasons});
  }
  o << "<h2>GPUs</h2>\n" << gt.html();
  Table bad({"Check", "GPU", "Outcome", "Reason"});
  for (const auto& row : check_rows(r)) {
    if (row.outcome == Outcome::pass) continue;
    const std::string oc(to_string(row.outcome));
    bad.add({e(row.check_id), e(gpu_name(row.gpu, gpus, true)), "<span class=\"" + oc + "\">" + oc + "</span>",
             e(reason_with_message(row))});
  }
  o << "<h2>Checks not passed</h2>\n" << (bad.empty() ? "<p>Every check passed.</p>\n" : bad.html());
  return o.str();
}

std::string rma_html(const nlohmann::json& rma, bool with_rack) {
  std::vector<std::string> head = {"Host", "GPU", "Serial", "UUID", "PCI bus id", "Failures", "Next step"};
  if (with_rack) head.insert(head.begin(), "Rack");
  Table t(head);
  for (const auto& x : rma) {
    std::string failures;
    for (const auto& f : x.at("failures")) {
      const std::string what = text_at(f, "metric").empty() ? text_at(f, "check_id") : text_at(f, "metric");
      const std::string msg = text_at(f, "message").empty() ? text_at(f, "error_id") : text_at(f, "message");
      failures += (failures.empty() ? "" : "<br>") + e(what + (msg.empty() ? "" : ": " + msg));
    }
    std::vector<std::string> cells = {e(text_at(x, "host")), e(text_at(x, "gpu")), e(text_at(x, "serial")),
                                      e(text_at(x, "uuid")), e(text_at(x, "pci_bus_id")), failures,
                                      e(text_at(x, "next_step"))};
    if (with_rack) cells.insert(cells.begin(), e(text_at(x, "rack")));
    t.add(cells);
  }
  return "<h2>RMA list</h2>\n" + (t.empty() ? std::string("<p>No GPU to return.</p>\n") : t.html());
}

std::string rack_body(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  std::ostringstream o;
  o << "<h1>tranche rack report: " << e(text_at(j, "name")) << " — " << acceptance_span(text_at(j, "acceptance"))
    << "</h1>\n<p>" << e(text_at(j, "headline")) << "</p>\n<p class=\"note\">Report: " << e(lr.file) << "</p>\n";
  o << rma_html(j.at("rma"), false);
  Table nodes({"Host", "SKU", "Acceptance", "Worst", "Failing checks", "Outliers"});
  for (const auto& n : j.at("nodes")) {
    std::string failing;
    for (const auto& c : n.at("failing_checks")) failing += (failing.empty() ? "" : ", ") + c.get<std::string>();
    nodes.add({e(text_at(n, "host")), e(text_at(n, "sku")), acceptance_span(text_at(n, "acceptance")),
               e(text_at(n, "worst")), e(failing), e(text_at(n, "outliers"))});
  }
  o << "<h2>Nodes</h2>\n" << nodes.html();
  return o.str();
}

std::string tranche_body(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  std::ostringstream o;
  o << "<h1>tranche report: " << e(text_at(j, "name")) << " — " << acceptance_span(text_at(j, "acceptance"))
    << "</h1>\n<p>" << e(text_at(j, "headline")) << "</p>\n<p class=\"note\">Report: " << e(lr.file) << "</p>\n";
  Table racks({"Rack", "Acceptance", "Nodes", "Accepted", "RMA", "Outliers", "Missing hosts"});
  for (const auto& r : j.at("racks")) {
    racks.add({e(text_at(r, "rack")), acceptance_span(text_at(r, "acceptance")), e(text_at(r, "nodes")),
               e(text_at(r, "accepted_nodes")), e(text_at(r, "rma")), e(text_at(r, "outliers")),
               e(text_at(r, "missing_hosts"))});
  }
  o << "<h2>Racks</h2>\n" << racks.html() << rma_html(j.at("rma"), true);
  return o.str();
}

std::string compare_body(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  std::ostringstream o;
  o << "<h1>tranche compare (" << e(text_at(j, "kind")) << "): " << e(text_at(j, "regressions"))
    << " regressions</h1>\n<p>" << e(text_at(j, "headline")) << "</p>\n<p class=\"note\">Before: "
    << e(text_at(j.at("before"), "file")) << "<br>After: " << e(text_at(j.at("after"), "file")) << "</p>\n";
  Table t({"Subject", "Metric", "Before", "After", "Regression"});
  for (const auto& c : j.at("changes")) {
    if (!c.at("regression").get<bool>()) continue;
    const std::string unit = text_at(c, "unit");
    t.add({e(subject_text(c.at("subject"))), e(text_at(c, "metric")), e(value_text(c.at("before"), unit)),
           e(value_text(c.at("after"), unit)), "<span class=\"fail\">yes</span>"});
  }
  o << "<h2>Regressions</h2>\n" << (t.empty() ? "<p>None.</p>\n" : t.html());
  return o.str();
}

}  // namespace

std::string render_html(const LoadedReport& r) {
  const VegaAssets& js = vega_assets();  // throws with the fix when the build has no Vega
  std::string title, body;
  std::vector<Chart> charts;
  switch (r.kind) {
    case ReportKind::node:
      title = "tranche node report: " + r.node.host + " — " + std::string(to_string(r.node.summary.acceptance));
      body = node_body(r);
      charts = node_charts(r.node);
      break;
    case ReportKind::rack:
      title = "tranche rack report: " + text_at(r.fleet, "name") + " — " + text_at(r.fleet, "acceptance");
      body = rack_body(r);
      charts = rack_charts(r.fleet);
      break;
    case ReportKind::tranche:
      title = "tranche report: " + text_at(r.fleet, "name") + " — " + text_at(r.fleet, "acceptance");
      body = tranche_body(r);
      charts = tranche_charts(r.fleet);
      break;
    case ReportKind::compare:
      title = "tranche compare: " + text_at(r.fleet, "headline");
      body = compare_body(r);
      charts = compare_charts(r.fleet);
      break;
  }
  nlohmann::json specs = nlohmann::json::array();
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << e(title)
    << "</title>\n<style>" << kStyle << "</style>\n<script>" << kErrorCapture << "</script>\n"
    << "<!-- " << e(js.versions) << " (BSD-3-Clause), embedded so the page needs no network -->\n"
    << "<script>" << js.vega << "</script>\n<script>" << js.vega_lite << "</script>\n<script>" << js.vega_embed
    << "</script>\n</head>\n<body>\n<pre id=\"tranche-errors\"></pre>\n"
    << body;
  for (const Chart& c : charts) {
    o << "<h2>" << e(c.title) << "</h2>\n<p class=\"note\">" << e(c.note) << "</p>\n<div class=\"chart\" id=\""
      << e(c.id) << "\"></div>\n";
    specs.push_back({{"id", c.id}, {"spec", c.spec}});
  }
  const std::string tool_version = r.kind == ReportKind::node
                                       ? r.node.tool.version
                                       : text_at(r.fleet.value("tool", nlohmann::json::object()), "version");
  o << "<p class=\"note\">" << e(r.file) << ", written by tranche " << e(tool_version)
    << "; charts drawn with " << e(js.versions) << ".</p>\n"
    << "<script type=\"application/json\" id=\"tranche-charts\">" << json_for_script(specs) << "</script>\n"
    << "<script>" << kDrawCharts << "</script>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace tranche::render

// CSV (RFC 4180, CRLF line ends, header row): one row per figure of a node report with its verdict beside it;
// one row per metric distribution of a rack or tranche report; one row per compared figure of a compare report.
#include <cstdio>
#include <sstream>
#include <tuple>

#include "reports/render/escape.h"
#include "reports/render/fleet_view.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"

namespace tranche::render {
namespace {

std::string num(std::optional<double> v) {
  if (!v) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", *v);
  return buf;
}

std::string num(const nlohmann::json& v) { return v.is_number() ? num(std::optional<double>(v.get<double>())) : ""; }

void row(std::ostringstream& o, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) o << (i ? "," : "") << csv_field(fields[i]);
  o << "\r\n";
}

std::string node_csv(const NodeReport& r) {
  std::ostringstream o;
  const auto gpus = gpus_by_ordinal(r);
  // The verdict on each figure, found by what identifies a figure: its name, GPU and labels.
  std::map<std::tuple<std::string, int, std::map<std::string, std::string>>, const Verdict*> verdict_of;
  for (const Verdict& v : r.verdicts) {
    if (!v.metric.empty()) verdict_of.emplace(std::make_tuple(v.metric, v.device.value_or(-1), v.labels), &v);
  }
  row(o, {"host", "check", "gpu", "serial", "uuid", "pci_bus_id", "metric", "labels", "value", "unit", "statistic",
          "n", "min", "max", "cv", "outcome", "reference", "ratio", "warn_ratio", "fail_ratio", "message"});
  for (const Measurement& m : r.measurements) {
    for (const Metric& f : m.metrics) {
      const std::optional<int> gpu = f.device ? f.device : m.device;
      const GpuSummary* g = nullptr;
      if (gpu && gpus.count(*gpu)) g = &gpus.at(*gpu);
      const auto it = verdict_of.find(std::make_tuple(f.name, gpu.value_or(-1), f.labels));
      const Verdict* v = it == verdict_of.end() ? nullptr : it->second;
      row(o, {r.host, m.check_id, gpu ? std::to_string(*gpu) : "", g && g->serial ? *g->serial : "",
              g && g->uuid ? *g->uuid : "", g && g->pci_bus_id ? *g->pci_bus_id : "", f.name, labels_text(f.labels),
              num(f.value), f.unit, f.statistic, std::to_string(f.n_samples), num(f.min), num(f.max), num(f.cv),
              v ? std::string(to_string(v->outcome)) : "", v ? num(v->reference) : "", v ? num(v->ratio) : "",
              v ? num(v->warn_ratio) : "", v ? num(v->fail_ratio) : "", v ? v->message : ""});
    }
  }
  return o.str();
}

// Rack and tranche reports: each SKU's metric distribution across nodes (rack) or racks (tranche), and across
// GPUs where the rack report has one.
std::string distributions_csv(const nlohmann::json& j, const char* scope_key) {
  std::ostringstream o;
  row(o, {"sku", "metric", "unit", "over", "n", "min", "p05", "median", "p95", "max", "mad"});
  for (const auto& sku : j.at("skus")) {
    for (const auto& m : sku.at("metrics")) {
      for (const char* over : {scope_key, "gpus"}) {
        if (!m.contains(over) || !m[over].is_object()) continue;
        const auto& d = m[over];
        row(o, {text_at(sku, "sku"), text_at(m, "metric"), text_at(m, "unit"), over, text_at(d, "n"), num(d.at("min")),
                num(d.at("p05")), num(d.at("median")), num(d.at("p95")), num(d.at("max")), num(d.at("mad"))});
      }
    }
  }
  return o.str();
}

std::string compare_csv(const nlohmann::json& j) {
  std::ostringstream o;
  row(o, {"subject", "host", "gpu", "serial", "metric", "unit", "before", "after", "delta", "ratio", "regression"});
  for (const auto& c : j.at("changes")) {
    const auto& s = c.at("subject");
    row(o, {subject_text(s), text_at(s, "host"), text_at(s, "gpu"), text_at(s, "serial"), text_at(c, "metric"),
            text_at(c, "unit"), num(c.at("before")), num(c.at("after")), num(c.at("delta")), num(c.at("ratio")),
            c.at("regression").get<bool>() ? "true" : "false"});
  }
  return o.str();
}

}  // namespace

std::string render_csv(const LoadedReport& r) {
  switch (r.kind) {
    case ReportKind::node: return node_csv(r.node);
    case ReportKind::rack: return distributions_csv(r.fleet, "nodes");
    case ReportKind::tranche: return distributions_csv(r.fleet, "racks");
    case ReportKind::compare: return compare_csv(r.fleet);
  }
  return {};
}

}  // namespace tranche::render

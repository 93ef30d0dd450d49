// Prometheus text exposition (format 0.0.4) for node_exporter's textfile collector. GPU series carry the labels
// dcgm-exporter puts on its own (Hostname, gpu = the NVML index, UUID, pci_bus_id in NVML's 8-digit-domain form)
// plus serial, so dashboards can join tranche's verdicts with DCGM telemetry.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>

#include "harness/core/errors.h"
#include "reports/render/escape.h"
#include "reports/render/fleet_view.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"

namespace tranche::render {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Metric families written in the order first used; each family's lines stay together, as the format requires.
class Exposition {
 public:
  void family(const std::string& name, const std::string& help) {
    if (!families_.count(name)) order_.push_back(name);
    families_[name].help = help;
  }
  void sample(const std::string& name, const Labels& labels, double value) {
    std::ostringstream line;
    line << name;
    if (!labels.empty()) {
      line << "{";
      for (size_t i = 0; i < labels.size(); ++i) {
        line << (i ? "," : "") << labels[i].first << "=\"" << prom_label_value(labels[i].second) << "\"";
      }
      line << "}";
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, " %.10g\n", value);
    families_[name].lines += line.str() + buf;
  }
  std::string text() const {
    std::string out;
    for (const auto& name : order_) {
      const auto& f = families_.at(name);
      if (f.lines.empty()) continue;
      out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " gauge\n" + f.lines;
    }
    return out;
  }

 private:
  struct Family {
    std::string help, lines;
  };
  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

// NVML writes the PCI domain with 8 hex digits ("00000000:18:00.0"); the inventory keeps the kernel's 4.
std::string nvml_bus_id(const std::string& id) {
  const auto colon = id.find(':');
  if (colon == std::string::npos || colon >= 8) return id;
  return std::string(8 - colon, '0') + id;
}

// A metric's own label name as a Prometheus label name; those that would collide with ours get "label_".
std::string label_name(const std::string& k) {
  static const std::set<std::string> ours = {"Hostname", "gpu", "UUID", "pci_bus_id", "serial", "check", "metric",
                                             "unit", "outcome", "acceptance"};
  std::string out;
  for (char c : k) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) || ours.count(out) || out.rfind("__", 0) == 0) {
    out = "label_" + out;
  }
  return out;
}

Labels gpu_labels(const std::string& host, std::optional<int> gpu, const std::map<int, GpuSummary>& gpus) {
  Labels l = {{"Hostname", host}};
  if (!gpu) return l;
  const auto it = gpus.find(*gpu);
  const GpuSummary* g = it == gpus.end() ? nullptr : &it->second;
  l.push_back({"gpu", std::to_string(g && g->nvml_index ? *g->nvml_index : *gpu)});
  l.push_back({"UUID", g && g->uuid ? *g->uuid : ""});
  l.push_back({"pci_bus_id", g && g->pci_bus_id ? nvml_bus_id(*g->pci_bus_id) : ""});
  l.push_back({"serial", g && g->serial ? *g->serial : ""});
  return l;
}

void acceptance_set(Exposition& e, const std::string& name, Labels labels, const std::string& acceptance) {
  labels.push_back({"acceptance", ""});
  for (const char* a : {"accepted", "rejected", "incomplete"}) {
    labels.back().second = a;
    e.sample(name, labels, acceptance == a ? 1 : 0);
  }
}

std::string node_exposition(const NodeReport& r) {
  Exposition e;
  const auto gpus = gpus_by_ordinal(r);
  e.family("tranche_node_acceptance",
           "Acceptance of the node in its last tranche report: 1 for its state (accepted, rejected, incomplete), 0 "
           "for the others.");
  acceptance_set(e, "tranche_node_acceptance", {{"Hostname", r.host}}, std::string(to_string(r.summary.acceptance)));
  e.family("tranche_report_timestamp_seconds", "When the tranche run that wrote the report finished (Unix time).");
  e.sample("tranche_report_timestamp_seconds", {{"Hostname", r.host}},
           static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(r.finished_at.time_since_epoch()).count()));
  e.family("tranche_gpu_acceptance",
           "Acceptance of the GPU in the last tranche report: 1 for its state, 0 for the others (not_judged: judged "
           "against no baseline).");
  for (const auto& [ordinal, g] : gpus) {
    Labels l = gpu_labels(r.host, ordinal, gpus);
    l.push_back({"acceptance", ""});
    for (const char* a : {"accepted", "rejected", "incomplete", "not_judged"}) {
      l.back().second = a;
      e.sample("tranche_gpu_acceptance", l, g.acceptance == a ? 1 : 0);
    }
  }
  e.family("tranche_check_verdict",
           "Worst verdict of a check on a GPU (or the node), as its severity: 0 skip, 1 pass, 2 unjudged, 3 warn, 4 "
           "error, 5 fail; the outcome label names it.");
  for (const CheckRow& row : check_rows(r)) {
    Labels l = gpu_labels(r.host, row.gpu, gpus);
    l.push_back({"check", row.check_id});
    l.push_back({"outcome", std::string(to_string(row.outcome))});
    e.sample("tranche_check_verdict", l, severity(row.outcome));
  }
  e.family("tranche_figure", "A figure tranche measured, in SI base units (the unit label), as the report states it.");
  e.family("tranche_figure_ratio",
           "A judged figure over its baseline reference (direction-adjusted: below 1 is worse), as the verdict states it.");
  for (const Measurement& m : r.measurements) {
    for (const Metric& f : m.metrics) {
      if (!f.value) continue;
      const std::optional<int> gpu = f.device ? f.device : m.device;
      Labels l = gpu_labels(r.host, gpu, gpus);
      l.push_back({"check", m.check_id});
      l.push_back({"metric", f.name});
      l.push_back({"unit", f.unit});
      for (const auto& [k, v] : f.labels) l.push_back({label_name(k), v});
      e.sample("tranche_figure", l, *f.value);
    }
  }
  for (const Verdict& v : r.verdicts) {
    if (!v.ratio || v.metric.empty()) continue;
    Labels l = gpu_labels(r.host, v.device, gpus);
    l.push_back({"check", v.check_id});
    l.push_back({"metric", v.metric});
    for (const auto& [k, val] : v.labels) l.push_back({label_name(k), val});
    e.sample("tranche_figure_ratio", l, *v.ratio);
  }
  return e.text();
}

std::string rack_exposition(const nlohmann::json& j) {
  Exposition e;
  const std::string rack = text_at(j, "name");
  e.family("tranche_rack_acceptance", "Acceptance of the rack in its tranche rack report: 1 for its state.");
  acceptance_set(e, "tranche_rack_acceptance", {{"rack", rack}}, text_at(j, "acceptance"));
  e.family("tranche_rack_node_acceptance", "Acceptance of each node of the rack report: 1 for its state.");
  for (const auto& n : j.at("nodes")) {
    acceptance_set(e, "tranche_rack_node_acceptance", {{"rack", rack}, {"Hostname", text_at(n, "host")}},
                   text_at(n, "acceptance"));
  }
  e.family("tranche_rack_rma_gpu",
           "A GPU on the rack's RMA list (1); gpu is the CUDA ordinal of the node report, the number of failures the "
           "value.");
  for (const auto& g : j.at("rma")) {
    e.sample("tranche_rack_rma_gpu",
             {{"rack", rack}, {"Hostname", text_at(g, "host")}, {"gpu", text_at(g, "gpu")}, {"UUID", text_at(g, "uuid")},
              {"pci_bus_id", nvml_bus_id(text_at(g, "pci_bus_id"))}, {"serial", text_at(g, "serial")}},
             static_cast<double>(g.at("failures").size()));
  }
  return e.text();
}

std::string tranche_exposition(const nlohmann::json& j) {
  Exposition e;
  const std::string name = text_at(j, "name");
  e.family("tranche_tranche_acceptance", "Acceptance of the whole tranche: 1 for its state.");
  acceptance_set(e, "tranche_tranche_acceptance", {{"tranche", name}}, text_at(j, "acceptance"));
  e.family("tranche_tranche_rack_acceptance", "Acceptance of each rack of the tranche: 1 for its state.");
  e.family("tranche_tranche_rack_rma_gpus", "GPUs on each rack's RMA list.");
  for (const auto& r : j.at("racks")) {
    acceptance_set(e, "tranche_tranche_rack_acceptance", {{"tranche", name}, {"rack", text_at(r, "rack")}},
                   text_at(r, "acceptance"));
    e.sample("tranche_tranche_rack_rma_gpus", {{"tranche", name}, {"rack", text_at(r, "rack")}},
             r.at("rma").get<double>());
  }
  return e.text();
}

}  // namespace

std::string render_prometheus(const LoadedReport& r) {
  switch (r.kind) {
    case ReportKind::node: return node_exposition(r.node);
    case ReportKind::rack: return rack_exposition(r.fleet);
    case ReportKind::tranche: return tranche_exposition(r.fleet);
    case ReportKind::compare: break;
  }
  throw InputError(r.file + ": a compare report has no Prometheus form (it is a difference, not a state); render it "
                            "with --format md, csv, junit or html");
}

}  // namespace tranche::render

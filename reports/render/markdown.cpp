// Markdown: the summary an operator pastes into the acceptance ticket (GitLab/GitHub tables), for every kind.
#include <cstdio>
#include <map>
#include <sstream>

#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "reports/render/escape.h"
#include "reports/render/fleet_view.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"

namespace tranche::render {
namespace {

std::string ratio_text(const nlohmann::json& ratio) {
  if (!ratio.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ratio.get<double>());
  return buf;
}

std::string opt_text(const std::optional<std::string>& s) { return s ? md_cell(*s) : "-"; }

void node_markdown(const LoadedReport& lr, std::ostringstream& o) {
  const NodeReport& r = lr.node;
  o << "# tranche node report: " << md_cell(r.host) << " — " << upper(std::string(to_string(r.summary.acceptance)))
    << "\n\n"
    << md_cell(r.summary.headline) << "\n\n"
    << "| | |\n|---|---|\n"
    << "| Host | " << md_cell(r.host) << " |\n"
    << "| Started | " << to_iso8601(r.started_at) << " |\n"
    << "| Finished | " << to_iso8601(r.finished_at) << " |\n"
    << "| Profile | " << md_cell(r.profile.name) << " |\n"
    << "| Baseline | " << (r.baseline.id.empty() ? "none" : md_cell(r.baseline.id)) << " |\n"
    << "| Driver | " << (r.environment.driver_version.empty() ? "-" : md_cell(r.environment.driver_version))
    << " |\n"
    << "| Tool | tranche " << md_cell(r.tool.version) << " (" << md_cell(r.tool.git_sha) << ") |\n"
    << "| Report | " << md_cell(lr.file) << " |\n\n";
  if (!r.read_note.empty()) o << "> " << md_cell(r.read_note) << "\n\n";

  const auto gpus = gpus_by_ordinal(r);
  o << "## GPUs\n\n| GPU | nvidia-smi | Serial | UUID | PCI bus id | Acceptance | Reasons |\n"
       "|---:|---:|---|---|---|---|---|\n";
  for (const auto& [ordinal, g] : gpus) {
    std::string reasons;
    for (const auto& reason : g.reasons) reasons += (reasons.empty() ? "" : "; ") + reason;
    o << "| " << ordinal << " | " << (g.nvml_index ? std::to_string(*g.nvml_index) : "-") << " | "
      << opt_text(g.serial) << " | " << opt_text(g.uuid) << " | " << opt_text(g.pci_bus_id) << " | "
      << md_cell(g.acceptance) << " | " << md_cell(reasons) << " |\n";
  }

  const auto rows = check_rows(r);
  o << "\n## Checks not passed\n\n";
  bool any = false;
  for (const auto& row : rows) {
    if (row.outcome == Outcome::pass) continue;
    if (!any) o << "| Check | GPU | Outcome | Reason |\n|---|---|---|---|\n";
    any = true;
    o << "| " << md_cell(row.check_id) << " | " << md_cell(gpu_name(row.gpu, gpus, true)) << " | "
      << to_string(row.outcome) << " | " << md_cell(reason_with_message(row)) << " |\n";
  }
  if (!any) o << "Every check passed.\n";

  // Per check: how many GPUs (or the node) ended in each outcome.
  std::map<std::string, std::map<Outcome, int>> by_check;
  for (const auto& row : rows) by_check[row.check_id][row.outcome]++;
  o << "\n## Checks\n\n| Check | pass | warn | fail | error | skip | unjudged |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [check, counts] : by_check) {
    o << "| " << md_cell(check);
    for (Outcome oc : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::error, Outcome::skip, Outcome::unjudged}) {
      const auto it = counts.find(oc);
      o << " | " << (it == counts.end() ? 0 : it->second);
    }
    o << " |\n";
  }
}

void rma_table(const nlohmann::json& rma, bool with_rack, std::ostringstream& o) {
  o << "\n## RMA list\n\n";
  if (rma.empty()) {
    o << "No GPU to return.\n";
    return;
  }
  o << (with_rack ? "| Rack " : "") << "| Host | GPU | Serial | UUID | PCI bus id | Failures | Next step |\n"
    << (with_rack ? "|---" : "") << "|---|---:|---|---|---|---|---|\n";
  for (const auto& e : rma) {
    std::string failures;
    for (const auto& f : e.at("failures")) {
      std::string what = text_at(f, "metric").empty() ? text_at(f, "check_id") : text_at(f, "metric");
      const std::string msg = text_at(f, "message").empty() ? text_at(f, "error_id") : text_at(f, "message");
      failures += (failures.empty() ? "" : "; ") + what + (msg.empty() ? "" : ": " + msg);
    }
    if (with_rack) o << "| " << md_cell(text_at(e, "rack")) << " ";
    o << "| " << md_cell(text_at(e, "host")) << " | " << text_at(e, "gpu") << " | " << md_cell(text_at(e, "serial"))
      << " | " << md_cell(text_at(e, "uuid")) << " | " << md_cell(text_at(e, "pci_bus_id")) << " | "
      << md_cell(failures) << " | " << md_cell(text_at(e, "next_step")) << " |\n";
  }
}

void outliers_table(const nlohmann::json& outliers, bool with_rack, std::ostringstream& o) {
  if (outliers.empty()) return;
  o << "\n## Outliers against the fleet\n\n" << (with_rack ? "| Rack " : "")
    << "| Host | GPU | Serial | Metric | Value | Median | From median | Outcome |\n"
    << (with_rack ? "|---" : "") << "|---|---:|---|---|---:|---:|---:|---|\n";
  for (const auto& e : outliers) {
    const std::string unit = text_at(e, "unit");
    char pct[32];
    std::snprintf(pct, sizeof pct, "%+.1f%%", e.at("percent_from_median").get<double>());
    if (with_rack) o << "| " << md_cell(text_at(e, "rack")) << " ";
    o << "| " << md_cell(text_at(e, "host")) << " | " << text_at(e, "gpu") << " | " << md_cell(text_at(e, "serial"))
      << " | " << md_cell(text_at(e, "metric")) << " | " << value_text(e.at("value"), unit) << " | "
      << value_text(e.at("median"), unit) << " | " << pct << " | " << md_cell(text_at(e, "outcome")) << " |\n";
  }
}

void rack_markdown(const LoadedReport& lr, std::ostringstream& o) {
  const auto& j = lr.fleet;
  o << "# tranche rack report: " << md_cell(text_at(j, "name")) << " — " << upper(text_at(j, "acceptance"))
    << "\n\n" << md_cell(text_at(j, "headline")) << "\n\nReport: " << md_cell(lr.file) << "\n\n"
    << "## Nodes\n\n| Host | SKU | Acceptance | Worst | Failing checks | Outliers |\n|---|---|---|---|---|---:|\n";
  for (const auto& n : j.at("nodes")) {
    std::string failing;
    for (const auto& c : n.at("failing_checks")) failing += (failing.empty() ? "" : ", ") + c.get<std::string>();
    o << "| " << md_cell(text_at(n, "host")) << " | " << md_cell(text_at(n, "sku")) << " | "
      << md_cell(text_at(n, "acceptance")) << " | " << md_cell(text_at(n, "worst")) << " | " << md_cell(failing)
      << " | " << text_at(n, "outliers") << " |\n";
  }
  rma_table(j.at("rma"), false, o);
  outliers_table(j.at("outliers"), false, o);
  const auto& expected = j.at("expected_hosts");
  if (expected.contains("missing") && !expected["missing"].empty()) {
    o << "\n## Missing hosts\n\n";
    for (const auto& h : expected["missing"]) o << "- " << md_cell(h.get<std::string>()) << "\n";
  }
  if (!j.at("excluded").empty()) {
    o << "\n## Reports left out\n\n| File | Reason |\n|---|---|\n";
    for (const auto& e : j.at("excluded")) {
      o << "| " << md_cell(text_at(e, "file")) << " | " << md_cell(text_at(e, "reason")) << " |\n";
    }
  }
}

void tranche_markdown(const LoadedReport& lr, std::ostringstream& o) {
  const auto& j = lr.fleet;
  o << "# tranche report: " << md_cell(text_at(j, "name")) << " — " << upper(text_at(j, "acceptance")) << "\n\n"
    << md_cell(text_at(j, "headline")) << "\n\nReport: " << md_cell(lr.file) << "\n\n"
    << "## Racks\n\n| Rack | Acceptance | Worst | Nodes | Accepted | RMA | Outliers | Missing hosts |\n"
       "|---|---|---|---:|---:|---:|---:|---:|\n";
  for (const auto& r : j.at("racks")) {
    o << "| " << md_cell(text_at(r, "rack")) << " | " << md_cell(text_at(r, "acceptance")) << " | "
      << md_cell(text_at(r, "worst")) << " | " << text_at(r, "nodes") << " | " << text_at(r, "accepted_nodes")
      << " | " << text_at(r, "rma") << " | " << text_at(r, "outliers") << " | " << text_at(r, "missing_hosts")
      << " |\n";
  }
  rma_table(j.at("rma"), true, o);
  outliers_table(j.at("outliers"), true, o);
  if (!j.at("missing_hosts").empty()) {
    o << "\n## Missing hosts\n\n";
    for (const auto& h : j.at("missing_hosts")) {
      o << "- " << md_cell(text_at(h, "rack")) << ": " << md_cell(text_at(h, "host")) << "\n";
    }
  }
}

void compare_markdown(const LoadedReport& lr, std::ostringstream& o) {
  const auto& j = lr.fleet;
  o << "# tranche compare (" << md_cell(text_at(j, "kind")) << "): " << text_at(j, "regressions")
    << " regressions\n\n" << md_cell(text_at(j, "headline")) << "\n\n"
    << "| | File | SHA-256 |\n|---|---|---|\n"
    << "| Before | " << md_cell(text_at(j.at("before"), "file")) << " | " << md_cell(text_at(j.at("before"), "sha256"))
    << " |\n| After | " << md_cell(text_at(j.at("after"), "file")) << " | "
    << md_cell(text_at(j.at("after"), "sha256")) << " |\n\nTolerance: " << text_at(j, "tolerance") << "\n";
  bool any = false;
  for (const auto& c : j.at("changes")) {
    if (!c.at("regression").get<bool>()) continue;
    if (!any) o << "\n## Regressions\n\n| Subject | Metric | Before | After | Ratio |\n|---|---|---:|---:|---:|\n";
    any = true;
    const std::string unit = text_at(c, "unit");
    o << "| " << md_cell(subject_text(c.at("subject"))) << " | " << md_cell(text_at(c, "metric")) << " | "
      << value_text(c.at("before"), unit) << " | " << value_text(c.at("after"), unit) << " | "
      << ratio_text(c.at("ratio")) << " |\n";
  }
  if (!j.at("outcome_changes").empty()) {
    o << "\n## Outcome changes\n\n| Subject | Before | After |\n|---|---|---|\n";
    for (const auto& c : j.at("outcome_changes")) {
      o << "| " << md_cell(subject_text(c.at("subject"))) << " | " << md_cell(text_at(c, "before")) << " | "
        << md_cell(text_at(c, "after")) << " |\n";
    }
  }
  for (const char* key : {"missing", "added"}) {
    if (j.at(key).empty()) continue;
    o << "\n## " << (std::string(key) == "missing" ? "Missing after" : "Added after") << "\n\n";
    for (const auto& s : j.at(key)) o << "- " << md_cell(subject_text(s)) << "\n";
  }
  if (!j.at("moved").empty()) {
    o << "\n## Moved\n\n";
    for (const auto& m : j.at("moved")) {
      o << "- " << md_cell(subject_text(m.at("before"))) << " -> " << md_cell(subject_text(m.at("after"))) << "\n";
    }
  }
}

}  // namespace

std::string render_markdown(const LoadedReport& r) {
  std::ostringstream o;
  switch (r.kind) {
    case ReportKind::node: node_markdown(r, o); break;
    case ReportKind::rack: rack_markdown(r, o); break;
    case ReportKind::tranche: tranche_markdown(r, o); break;
    case ReportKind::compare: compare_markdown(r, o); break;
  }
  return o.str();
}

}  // namespace tranche::render

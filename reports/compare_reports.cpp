// compare: subjects matched across two reports, then figures and outcomes side by side.
#include "reports/compare_reports.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <simdjson.h>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/sha256.h"
#include "reports/fast_node_reader.h"
#include "reports/rack_report.h"
#include "reports/tranche_report.h"

namespace tranche {

using nlohmann::json;

namespace {

struct Delta {
  json changes = json::array(), added = json::array(), missing = json::array(), moved = json::array();
  json outcome_changes = json::array();
  int regressions = 0;
};

void compare_value(Delta& d, const json& subject, const std::string& metric, const std::string& unit, double before,
                   double after, double tolerance) {
  const double ratio = before != 0 ? after / before : 0.0;
  const bool lower = lower_is_better(unit);
  const bool regression = before != 0 && (lower ? ratio > 1.0 + tolerance : ratio < 1.0 - tolerance);
  d.regressions += regression;
  d.changes.push_back({{"subject", subject}, {"metric", metric}, {"unit", unit}, {"before", before},
                       {"after", after}, {"delta", after - before}, {"ratio", before != 0 ? json(ratio) : json(nullptr)},
                       {"regression", regression}});
}

json gpu_subject(const std::string& host, const GpuIdentity& g) {
  return {{"host", host}, {"gpu", g.index}, {"serial", g.serial}, {"uuid", g.uuid}};
}

std::string outcome_of_gpu(const NodeDigest& n, int gpu) {
  auto it = n.summary.gpu_outcomes.find(gpu);
  return it == n.summary.gpu_outcomes.end() ? "none" : std::string(to_string(it->second));
}

void compare_nodes(const NodeDigest& b, const NodeDigest& a, double tol, Delta& d) {
  std::map<std::string, const GpuIdentity*> by_serial, by_uuid;
  for (const auto& g : a.gpus) {
    if (!g.serial.empty()) by_serial[g.serial] = &g;
    if (!g.uuid.empty()) by_uuid[g.uuid] = &g;
  }
  std::map<std::pair<std::string, int>, double> after_figures;  // (key, device or -1) -> value
  for (const auto& f : a.figures) after_figures[{f.key, f.device.value_or(-1)}] = f.value;
  std::set<int> matched_after;
  std::map<int, int> after_index_of;  // before GPU index -> after GPU index
  for (const auto& g : b.gpus) {
    const GpuIdentity* m = nullptr;
    if (auto it = by_serial.find(g.serial); !g.serial.empty() && it != by_serial.end()) m = it->second;
    else if (auto iu = by_uuid.find(g.uuid); !g.uuid.empty() && iu != by_uuid.end()) m = iu->second;
    if (!m) {
      d.missing.push_back(gpu_subject(b.host, g));
      continue;
    }
    matched_after.insert(m->index);
    after_index_of[g.index] = m->index;
    if (a.host != b.host || m->index != g.index) {
      d.moved.push_back({{"before", gpu_subject(b.host, g)}, {"after", gpu_subject(a.host, *m)}});
    }
    const std::string ob = outcome_of_gpu(b, g.index), oa = outcome_of_gpu(a, m->index);
    if (ob != oa) d.outcome_changes.push_back({{"subject", gpu_subject(a.host, *m)}, {"before", ob}, {"after", oa}});
  }
  for (const auto& g : a.gpus) {
    if (!matched_after.count(g.index)) d.added.push_back(gpu_subject(a.host, g));
  }
  for (const auto& f : b.figures) {
    int after_device = -1;
    json subject = {{"host", a.host}, {"gpu", nullptr}};
    if (f.device) {
      auto it = after_index_of.find(*f.device);
      if (it == after_index_of.end()) continue;
      after_device = it->second;
      for (const auto& g : a.gpus) {
        if (g.index == after_device) subject = gpu_subject(a.host, g);
      }
    }
    auto it = after_figures.find({f.key, after_device});
    if (it != after_figures.end()) compare_value(d, subject, f.key, f.unit, f.value, it->second, tol);
  }
  if (a.summary.acceptance != b.summary.acceptance) {
    d.outcome_changes.push_back({{"subject", {{"host", a.host}}},
                                 {"before", to_string(b.summary.acceptance)},
                                 {"after", to_string(a.summary.acceptance)}});
  }
}

// Rack or tranche: subjects are rows of `rows_key` named by `name_key`; metrics are per-SKU medians.
void compare_aggregates(const json& b, const json& a, const char* rows_key, const char* name_key,
                        const char* dist_key, double tol, Delta& d) {
  std::map<std::string, const json*> after_rows;
  for (const auto& r : a[rows_key]) after_rows[r[name_key].get<std::string>()] = &r;
  std::set<std::string> seen;
  for (const auto& r : b[rows_key]) {
    const std::string name = r[name_key].get<std::string>();
    auto it = after_rows.find(name);
    if (it == after_rows.end()) {
      d.missing.push_back({{name_key, name}});
      continue;
    }
    seen.insert(name);
    if (r["acceptance"] != (*it->second)["acceptance"]) {
      d.outcome_changes.push_back(
          {{"subject", {{name_key, name}}}, {"before", r["acceptance"]}, {"after", (*it->second)["acceptance"]}});
    }
  }
  for (const auto& [name, row] : after_rows) {
    if (!seen.count(name)) d.added.push_back({{name_key, name}});
  }
  std::map<std::pair<std::string, std::string>, const json*> after_metrics;
  for (const auto& s : a["skus"]) {
    for (const auto& m : s["metrics"]) after_metrics[{s["sku"].get<std::string>(), m["metric"].get<std::string>()}] = &m;
  }
  for (const auto& s : b["skus"]) {
    for (const auto& m : s["metrics"]) {
      auto it = after_metrics.find({s["sku"].get<std::string>(), m["metric"].get<std::string>()});
      if (it == after_metrics.end()) continue;
      compare_value(d, {{"sku", s["sku"]}}, m["metric"].get<std::string>(), m["unit"].get<std::string>(),
                    m[dist_key]["median"].get<double>(), (*it->second)[dist_key]["median"].get<double>(), tol);
    }
  }
}

// The schema string of a report file, read without parsing the rest; "" when it has none.
std::string schema_of(const std::string& path) {
  const std::string text = read_file(path);
  try {
    simdjson::ondemand::parser p;
    simdjson::padded_string padded(text);
    auto doc = p.iterate(padded);
    return std::string(std::string_view(doc["schema"].get_string()));
  } catch (const simdjson::simdjson_error&) {
    return "";
  }
}

json side(const std::string& file, const std::string& schema) {
  return {{"file", file}, {"schema", schema}, {"sha256", sha256_hex(read_file(file))}};
}

json load_aggregate(const std::string& path, const std::string& schema) {
  if (schema == kRackReportSchema) return load_rack_report(path);
  const std::string text = read_file(path);
  try {
    json j = json::parse(text);
    for (const char* key : {"racks", "skus"}) {
      if (!json_at(j, key, path).is_array()) throw InputError(path + ": '" + key + "' must be an array");
    }
    return j;
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON (byte " + std::to_string(e.byte) + "); re-run tranche tranche");
  }
}

}  // namespace

json compare_reports(const std::string& before, const std::string& after, const CompareOptions& options,
                     const ToolInfo& tool) {
  const std::string sb = schema_of(before), sa = schema_of(after);
  Delta d;
  std::string kind;
  auto is_node = [](const std::string& s) { return s.rfind("tranche/node-report/", 0) == 0 || s.empty(); };
  if (is_node(sb) && is_node(sa)) {
    FastNodeReader reader;
    const NodeDigest b = reader.read(before);
    const NodeDigest a = reader.read(after);
    kind = "node";
    compare_nodes(b, a, options.tolerance, d);
  } else if (sb != sa) {
    throw InputError(after + ": a " + (sa.empty() ? std::string("file without a schema") : sa) +
                     " cannot be compared with " + before + " (a " + sb + "); give two reports of the same kind");
  } else if (sb == kRackReportSchema) {
    kind = "rack";
    compare_aggregates(load_aggregate(before, sb), load_aggregate(after, sa), "nodes", "host", "nodes",
                       options.tolerance, d);
  } else if (sb == kTrancheReportSchema) {
    kind = "tranche";
    compare_aggregates(load_aggregate(before, sb), load_aggregate(after, sa), "racks", "rack", "racks",
                       options.tolerance, d);
  } else {
    throw InputError(before + ": schema '" + sb + "' is not a node, rack or tranche report tranche can compare");
  }
  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%.1f%%", options.tolerance * 100);
  const std::string headline = std::to_string(d.regressions) + " regressions beyond " + tolerance + ", " +
                               std::to_string(d.missing.size()) + " missing, " +
                               std::to_string(d.added.size()) + " added, " + std::to_string(d.moved.size()) +
                               " moved, " + std::to_string(d.outcome_changes.size()) + " outcome changes";
  return json{{"schema", kCompareReportSchema},
              {"tool", {{"name", tool.name}, {"version", tool.version}, {"git_sha", tool.git_sha}}},
              {"created_at", to_iso8601(std::chrono::system_clock::now())},
              {"kind", kind},
              {"before", side(before, sb)},
              {"after", side(after, sa)},
              {"tolerance", options.tolerance},
              {"headline", headline},
              {"regressions", d.regressions},
              {"changes", d.changes},
              {"missing", d.missing},
              {"added", d.added},
              {"moved", d.moved},
              {"outcome_changes", d.outcome_changes}};
}

bool compare_found_problem(const json& c) { return c.at("regressions").get<int>() > 0 || !c.at("missing").empty(); }

}  // namespace tranche

// Site overrides: parsing, and layering over a baseline so that margins only ever get stricter.
#include "harness/judge/overrides.h"

#include <cstdio>

#include "harness/core/atomic_file.h"
#include "harness/core/inventory.h"
#include "harness/core/sha256.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/strict_json.h"

namespace tranche {

using nlohmann::json;

namespace {

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool includes(const std::map<std::string, std::string>& have, const std::map<std::string, std::string>& want) {
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

SiteOverrides site_overrides_from_json(const json& j, const std::string& file) {
  StrictObject o(j, file, "$");
  const std::string schema = o.string("schema");
  if (schema != kSiteOverridesSchema) o.fail("schema", "'" + schema + "' is not " + kSiteOverridesSchema);
  SiteOverrides s;
  s.file = file;
  s.site = o.string("site");
  s.source = o.string("source");
  if (o.has("applies_to")) {
    const json& a = o.at("applies_to");
    if (!a.is_array()) o.fail("applies_to", "must be an array of baseline ids");
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string())
        data_error(file, o.place("applies_to") + "[" + std::to_string(i) + "]", "must be a string");
      s.applies_to.push_back(a[i].get<std::string>());
    }
  }
  if (o.has("node")) {
    StrictObject n(o.at("node"), file, o.place("node"));
    NodeExpectations ne;
    auto i32 = [&](const char* key, int lo, int hi) -> std::optional<int> {
      if (auto v = n.optional_integer(key, lo, hi)) return static_cast<int>(*v);
      return std::nullopt;
    };
    if (n.has("gpus_per_node") && !n.at("gpus_per_node").is_null()) {
      ne.gpus_per_node = gpu_counts_from_json(n.at("gpus_per_node"), file, n.place("gpus_per_node"));
    }
    ne.pcie_generation = i32("pcie_generation", 1, 7);
    ne.pcie_width = i32("pcie_width", 1, 32);
    ne.nvlinks_per_gpu = i32("nvlinks_per_gpu", 0, 64);
    if (auto v = n.optional_integer("memory_bytes_min", 1, INT64_MAX))
      ne.memory_bytes_min = static_cast<std::uint64_t>(*v);
    ne.min_driver = n.optional_string("min_driver").value_or("");
    // Checked here, with the judge's own parser, so a bad value stops the run before it measures anything.
    if (!ne.min_driver.empty() && !driver_version_number(ne.min_driver)) {
      n.fail("min_driver", "'" + ne.min_driver + "' is not a version like \"580.65.06\"");
    }
    n.finish("gpus_per_node, pcie_generation, pcie_width, nvlinks_per_gpu, memory_bytes_min, min_driver");
    s.node = ne;
  }
  if (o.has("margins")) {
    const json& ms = o.at("margins");
    if (!ms.is_array()) o.fail("margins", "must be an array");
    for (std::size_t i = 0; i < ms.size(); ++i) {
      StrictObject m(ms[i], file, "$.margins[" + std::to_string(i) + "]");
      MarginOverride mo;
      mo.metric = m.string("metric");
      mo.labels = m.string_map("labels");
      mo.warn_ratio = m.optional_number("warn_ratio");
      mo.fail_ratio = m.optional_number("fail_ratio");
      mo.required = m.optional_boolean("required");
      if (!mo.warn_ratio && !mo.fail_ratio && !mo.required) {
        m.fail("metric", "the entry changes nothing: give warn_ratio, fail_ratio or required");
      }
      m.finish("metric, labels, warn_ratio, fail_ratio, required");
      s.margins.push_back(std::move(mo));
    }
  }
  if (o.has("expectations")) {
    const json& ex = o.at("expectations");
    if (!ex.is_array()) o.fail("expectations", "must be an array");
    for (std::size_t i = 0; i < ex.size(); ++i) {
      s.expectations.push_back(expectation_from_json(ex[i], file, "$.expectations[" + std::to_string(i) + "]"));
    }
  }
  o.finish("schema, site, source, applies_to, node, margins, expectations");
  return s;
}

SiteOverrides load_site_overrides(const std::string& path) {
  const std::string text = read_file(path);
  SiteOverrides s = site_overrides_from_json(parse_data_file(text, path), path);
  s.sha256 = sha256_hex(text);
  return s;
}

Baseline apply_site_overrides(const Baseline& base, const SiteOverrides& s) {
  if (!s.applies_to.empty()) {
    bool ok = false;
    for (const auto& id : s.applies_to) ok |= id == base.id;
    if (!ok) {
      std::string ids;
      for (const auto& id : s.applies_to) ids += (ids.empty() ? "" : ", ") + id;
      data_error(s.file, "$.applies_to", "these overrides apply to " + ids + ", not to baseline " + base.id);
    }
  }
  Baseline b = base;
  const std::string note = "; site override " + s.file + " (" + s.site + "): " + s.source;
  if (s.node) {
    const NodeExpectations& n = *s.node;
    if (!n.gpus_per_node.empty()) b.node.gpus_per_node = n.gpus_per_node;
    if (n.pcie_generation) b.node.pcie_generation = n.pcie_generation;
    if (n.pcie_width) b.node.pcie_width = n.pcie_width;
    if (n.nvlinks_per_gpu) b.node.nvlinks_per_gpu = n.nvlinks_per_gpu;
    if (n.memory_bytes_min) b.node.memory_bytes_min = n.memory_bytes_min;
    if (!n.min_driver.empty()) b.node.min_driver = n.min_driver;
    b.node.source += note;
  }
  for (std::size_t i = 0; i < s.margins.size(); ++i) {
    const MarginOverride& mo = s.margins[i];
    const std::string place = "$.margins[" + std::to_string(i) + "]";
    int hits = 0;
    for (auto& e : b.expectations) {
      if (e.metric != mo.metric || !includes(e.labels, mo.labels)) continue;
      ++hits;
      const double warn = mo.warn_ratio.value_or(e.warn_ratio), fail = mo.fail_ratio.value_or(e.fail_ratio);
      if (e.direction == Direction::equal && (mo.warn_ratio || mo.fail_ratio)) {
        data_error(s.file, place, e.metric + " is judged for equality; it has no margin to tighten");
      }
      const bool higher = e.direction == Direction::higher_is_better;
      auto looser = [&](double now, double was) { return higher ? now < was : now > was; };
      if (looser(warn, e.warn_ratio)) {
        data_error(s.file, place + ".warn_ratio",
                   fmt(warn) + " would loosen the baseline's " + fmt(e.warn_ratio) + " for " + e.metric +
                       "; a site override may only tighten");
      }
      if (looser(fail, e.fail_ratio)) {
        data_error(s.file, place + ".fail_ratio",
                   fmt(fail) + " would loosen the baseline's " + fmt(e.fail_ratio) + " for " + e.metric +
                       "; a site override may only tighten");
      }
      if (higher ? (fail > warn || warn > 1) : (fail < warn)) {
        data_error(s.file, place,
                   "fail_ratio " + fmt(fail) + " and warn_ratio " + fmt(warn) + " are out of order for " +
                       std::string(to_string(e.direction)));
      }
      if (mo.required && !*mo.required && e.required) {
        data_error(s.file, place + ".required", e.metric + " is required by the baseline; an override cannot drop it");
      }
      e.warn_ratio = warn;
      e.fail_ratio = fail;
      if (mo.required) e.required = *mo.required;
      e.source += note;
    }
    if (hits == 0) {
      data_error(s.file, place + ".metric",
                 "'" + mo.metric + "' with these labels matches no expectation of baseline " + b.id +
                     " (add it under expectations instead)");
    }
  }
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    Expectation e = s.expectations[i];
    for (const auto& have : b.expectations) {
      if (have.metric == e.metric && have.labels == e.labels) {
        data_error(s.file, "$.expectations[" + std::to_string(i) + "]",
                   e.metric + " is already in baseline " + b.id + "; tighten it under margins instead");
      }
    }
    e.source = "site override " + s.file + " (" + s.site + "): " + e.source;
    b.expectations.push_back(std::move(e));
  }
  b.overrides_file = s.file;
  b.overrides_sha256 = s.sha256;
  return b;
}

}  // namespace tranche

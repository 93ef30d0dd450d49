// tranche baseline list|show|validate|derive: the shipped per-SKU baselines, checking files, deriving new ones.
#include <cstdio>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/derive.h"
#include "harness/judge/overrides.h"
#include "harness/judge/strict_json.h"
#include "reports/node_report.h"
#include "reports/units.h"

namespace tranche::cli {
namespace {

std::string pci_ids(const MatchRule& m) {
  std::string s;
  for (auto id : m.pci_device_ids) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", id);
    s += (s.empty() ? "" : ",") + std::string(buf);
  }
  return s.empty() ? "-" : s;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string s;
  for (const auto& [k, v] : labels) s += (s.empty() ? "" : ",") + k + "=" + v;
  return s.empty() ? "-" : s;
}

template <class T>
std::string opt_text(const std::optional<T>& v) {
  return v ? std::to_string(*v) : "-";
}

void print_baseline(const Baseline& b) {
  std::cout << b.id << "  " << b.name << "\n";
  std::cout << "file:    " << b.file << "\nsha256:  " << b.sha256 << "\n";
  if (!b.description.empty()) std::cout << "about:   " << b.description << "\n";
  std::cout << "match:   PCI ids " << pci_ids(b.match) << "; name /" << b.match.name_pattern << "/";
  if (b.match.memory_bytes_min) std::cout << "; memory >= " << *b.match.memory_bytes_min << " B";
  std::cout << "\n";
  const NodeExpectations& n = b.node;
  std::string gpus;
  for (int g : n.gpus_per_node) gpus += (gpus.empty() ? "" : " or ") + std::to_string(g);
  std::cout << "node:    GPUs " << (gpus.empty() ? "-" : gpus) << ", PCIe gen " << opt_text(n.pcie_generation) << " x"
            << opt_text(n.pcie_width) << ", NVLinks/GPU " << opt_text(n.nvlinks_per_gpu)
            << ", memory >= " << opt_text(n.memory_bytes_min)
            << " B, driver >= " << (n.min_driver.empty() ? "-" : n.min_driver) << "\n";
  if (!n.source.empty()) std::cout << "         source: " << n.source << "\n";
  const Datasheet& d = b.datasheet;
  auto fig = [](const char* what, const std::optional<DatasheetFigure>& f) {
    if (f) std::cout << "  " << what << ": " << format_value(f->value, f->unit) << "  (" << f->source << ")\n";
  };
  std::cout << "datasheet:\n";
  for (const auto& [p, f] : d.peak_flops) {
    std::cout << "  peak " << p << ": " << format_value(f.value, f.unit) << "  (" << f.source << ")\n";
  }
  fig("HBM bandwidth", d.hbm_bandwidth);
  fig("NVLink bandwidth", d.nvlink_bandwidth);
  fig("PCIe bandwidth", d.pcie_bandwidth);
  fig("power limit", d.power_limit);
  fig("slowdown temperature", d.slowdown_temperature);
  if (!b.overrides_file.empty()) std::cout << "overrides: " << b.overrides_file << " (" << b.overrides_sha256 << ")\n";
  std::cout << "expectations:\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-28s %-22s %-16s %-17s %-5s %-5s %s\n", "METRIC", "LABELS", "REFERENCE",
                "DIRECTION", "WARN", "FAIL", "REQ");
  std::cout << line;
  for (const auto& e : b.expectations) {
    std::snprintf(line, sizeof line, "  %-28s %-22s %-16s %-17s %-5.3g %-5.3g %s\n", e.metric.c_str(),
                  labels_text(e.labels).c_str(), format_value(e.reference, e.unit).c_str(),
                  std::string(to_string(e.direction)).c_str(), e.warn_ratio, e.fail_ratio, e.required ? "yes" : "no");
    std::cout << line << "      source (" << to_string(e.provenance) << "): " << e.source << "\n";
    if (e.floor) {
      std::cout << "      never looser than " << format_value(e.floor->value, e.unit) << ": " << e.floor->source << "\n";
    }
  }
}

void setup_baseline(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("baseline", "Per-SKU baselines: list, show, validate files, derive from reports");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "List the shipped baselines (baselines/skus/*.json)");
  list->callback([&exit_code] {
    const auto all = load_baselines_in();
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-26s %-16s %s\n", "ID", "NAME", "PCI IDS", "EXPECTATIONS");
    std::cout << line;
    for (const auto& b : all) {
      std::snprintf(line, sizeof line, "%-16s %-26s %-16s %zu\n", b.id.c_str(), b.name.c_str(),
                    pci_ids(b.match).c_str(), b.expectations.size());
      std::cout << line;
    }
    std::cout << all.size() << " baselines in " << shipped_baselines_dir()
              << "; pass --baseline SKU or --baseline FILE to tranche run/judge\n";
    exit_code = kExitAccepted;
  });

  auto show_arg = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto* show =
      cmd->add_subcommand("show", "Show one baseline: match rules, node, datasheet, expectations with sources");
  show->add_option("SKU", *show_arg, "A SKU id (tranche baseline list) or a baseline FILE")->required();
  show->add_flag("--json", *show_json, "Print the baseline document as JSON");
  show->callback([show_arg, show_json, &exit_code] {
    const Baseline b = resolve_baseline(*show_arg, load_baselines_in());
    if (*show_json) {
      std::cout << to_json(b).dump(2) << "\n";
    } else {
      print_baseline(b);
    }
    exit_code = kExitAccepted;
  });

  auto files = std::make_shared<std::vector<std::string>>();
  auto* validate = cmd->add_subcommand(
      "validate", "Validate baseline or site-override files; one line per file, exit 64 if any is invalid");
  validate->add_option("FILE", *files, "Baseline (tranche/baseline/v1) or site-override files")->required();
  validate->callback([files, &exit_code] {
    int bad = 0;
    std::map<std::string, std::string> ids;
    for (const auto& f : *files) {
      try {
        const std::string text = read_file(f);
        const nlohmann::json j = parse_data_file(text, f);
        if (j.is_object() && j.value("schema", "") == kSiteOverridesSchema) {
          const SiteOverrides s = site_overrides_from_json(j, f);
          std::cout << "ok  " << f << "  (site overrides: " << s.margins.size() << " margins, " << s.expectations.size()
                    << " extra expectations)\n";
          continue;
        }
        const Baseline b = baseline_from_json(j, f);
        if (auto [it, fresh] = ids.emplace(b.id, f); !fresh) {
          data_error(f, "$.id", "'" + b.id + "' is also the id of " + it->second);
        }
        std::cout << "ok  " << f << "  (" << b.id << ": " << b.expectations.size() << " expectations)\n";
      } catch (const InputError& e) {
        std::cerr << "tranche: " << e.what() << "\n";
        ++bad;
      }
    }
    if (bad) std::cerr << "tranche: " << bad << " of " << files->size() << " files invalid\n";
    exit_code = bad ? kExitUsage : kExitAccepted;
  });

  struct DeriveArgs {
    std::vector<std::string> reports;
    std::string sku, out;
    int min_samples = 5;
  };
  auto d = std::make_shared<DeriveArgs>();
  auto* derive = cmd->add_subcommand(
      "derive", "Derive a baseline from your own node reports: reference = median, margins from the spread (MAD)");
  derive->add_option("REPORT", d->reports, "Node reports of healthy nodes of one SKU")->required();
  derive->add_option("--sku", d->sku, "Id of the derived baseline; a shipped id also copies its match rules and node")
      ->required();
  derive->add_option("-o,--out", d->out, "Baseline file to write")->required();
  derive->add_option("--min-samples", d->min_samples, "Fewest values (per-GPU values pooled) per metric")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  derive->callback([d, &exit_code] {
    std::vector<DeriveInput> inputs;
    for (const auto& path : d->reports) {
      NodeReport r = load_node_report(path);
      DeriveInput in;
      in.name = path;
      in.measurements = std::move(r.measurements);
      if (r.inventory.contains("gpus") && r.inventory["gpus"].is_array()) {
        for (const auto& g : r.inventory["gpus"]) {
          if (g.is_object() && g.contains("name") && g["name"].is_string()) in.gpu_names.push_back(g["name"]);
        }
      }
      inputs.push_back(std::move(in));
    }
    const auto known = load_baselines_in();
    DeriveOptions o;
    o.id = d->sku;
    o.min_samples = d->min_samples;
    for (const auto& b : known) {
      if (b.id == d->sku) o.base = &b;
    }
    DeriveResult res = derive_baseline(inputs, o);
    const nlohmann::json doc = to_json(res.baseline);
    const Baseline check = baseline_from_json(doc, d->out);  // validate before writing: never leave a bad file
    write_file_atomic(d->out, doc.dump(2) + "\n");
    for (const auto& s : res.skipped) std::cout << "skipped " << s << "\n";
    std::cout << "wrote " << d->out << ": " << check.expectations.size() << " expectations derived from "
              << inputs.size() << " reports (" << check.id << ")\n";
    exit_code = kExitAccepted;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(50, setup_baseline)

}  // namespace tranche::cli

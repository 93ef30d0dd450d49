// Test helper: a rack of synthetic node reports written to a temp directory (benches/tranche_scale generator).
#pragma once
#include <filesystem>
#include <functional>
#include <unistd.h>
#include <string>
#include <vector>

#include "benches/tranche_scale/synthetic_node.h"
#include "harness/core/atomic_file.h"
#include "harness/core/model_json.h"
#include "harness/judge/baseline_file.h"

namespace tranche::test {

inline const Baseline& h100_baseline() {
  static const Baseline b = load_baseline_file(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus/h100-sxm5-80gb.json");
  return b;
}

inline const Inventory& h100_inventory() {
  static const Inventory inv = inventory_from_json(
      nlohmann::json::parse(read_file(std::string(TRANCHE_TEST_DATA) + "/inventory/healthy_hgx_h100.json")), "inv");
  return inv;
}

inline std::string fleet_host(int n) { return "gpu" + std::string(n + 1 < 10 ? "00" : "0") + std::to_string(n + 1); }

// Writes `nodes` reports (hosts gpu001...) to a fresh directory; `plant` adjusts each node's spec. Returns the
// report paths in host order.
inline std::vector<std::string> write_fleet(const std::string& dir, int nodes,
                                            const std::function<void(SyntheticNodeSpec&)>& plant = {}) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<std::string> files;
  for (int n = 0; n < nodes; ++n) {
    SyntheticNodeSpec spec;
    spec.host = fleet_host(n);
    spec.node_index = n;
    spec.samples = 5;
    if (plant) plant(spec);
    files.push_back(dir + "/" + spec.host + ".json");
    save_node_report(make_synthetic_node_report(spec, h100_inventory(), h100_baseline()), files.back());
  }
  return files;
}

// A path under the temp dir, removed when the test program exits.
inline std::string temp_path(const std::string& name) {
  static const struct Cleanup {
    std::string prefix = "tranche-fleet-" + std::to_string(::getpid()) + "-";
    ~Cleanup() {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec)) {
        if (e.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove_all(e.path(), ec);
      }
    }
  } cleanup;
  return (std::filesystem::temp_directory_path() / (cleanup.prefix + name)).string();
}

}  // namespace tranche::test

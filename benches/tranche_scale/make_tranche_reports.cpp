// make_tranche_reports: writes realistic node reports for a whole tranche (racks of 80 nodes) for the benchmark.
// Usage: make_tranche_reports OUT_DIR NODES [RACK_SIZE] [THREADS]; writes OUT_DIR/rack-NNN/gpuNNNNN.json.
// About one node in 400 gets a planted problem (a slow GPU, a slow NVLink, a slow node, a failing GPU).
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "benches/tranche_scale/synthetic_node.h"
#include "harness/core/atomic_file.h"
#include "harness/judge/baseline_file.h"

namespace fs = std::filesystem;
using namespace tranche;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_tranche_reports OUT_DIR NODES [RACK_SIZE=80] [THREADS=2]\n";
    return 64;
  }
  const std::string out = argv[1];
  const int nodes = std::stoi(argv[2]);
  const int rack_size = argc > 3 ? std::stoi(argv[3]) : 80;
  const int threads = argc > 4 ? std::stoi(argv[4]) : 2;
  const Baseline baseline = load_baseline_file(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus/h100-sxm5-80gb.json");
  const Inventory inv = inventory_from_json(
      nlohmann::json::parse(read_file(std::string(TRANCHE_SOURCE_DIR) + "/tests/data/inventory/healthy_hgx_h100.json")),
      "healthy_hgx_h100.json");
  std::atomic<int> next{0};
  std::atomic<long long> bytes{0};
  auto work = [&] {
    for (int n = next++; n < nodes; n = next++) {
      char host[32], rack[32];
      std::snprintf(host, sizeof host, "gpu%05d", n + 1);
      std::snprintf(rack, sizeof rack, "rack-%03d", n / rack_size + 1);
      SyntheticNodeSpec spec;
      spec.host = host;
      spec.node_index = n;
      switch (n % 400) {
        case 17: spec.gpu_scale[3] = 0.96; break;
        case 117: spec.slow_link_gpu = 2; spec.slow_link_peer = 5; break;
        case 217: spec.node_scale = 0.98; break;
        case 317: spec.failing_gpu = 6; break;
        default: break;
      }
      const fs::path dir = fs::path(out) / rack;
      fs::create_directories(dir);
      const std::string file = (dir / (std::string(host) + ".json")).string();
      save_node_report(make_synthetic_node_report(spec, inv, baseline), file);
      bytes += static_cast<long long>(fs::file_size(file));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::cout << "wrote " << nodes << " node reports, " << bytes.load() << " bytes (" << bytes.load() / nodes
            << " per node) under " << out << "\n";
  return 0;
}

// bench_tranche_scale: aggregates a tranche of node reports (ROOT/rack-*/…json) rack by rack on all cores, then
// the racks into a tranche report, and prints the wall time, bytes read, throughput and peak memory.
// Usage: bench_tranche_scale ROOT OUT_DIR [THREADS=all cores]. Generation is make_tranche_reports's job.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "harness/core/atomic_file.h"
#include "harness/core/sha256.h"
#include "reports/rack_inputs.h"
#include "reports/tranche_report.h"

namespace fs = std::filesystem;
using namespace tranche;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_tranche_scale ROOT OUT_DIR [THREADS]\n";
    return 64;
  }
  const std::string root = argv[1], out = argv[2];
  const int threads = argc > 3 ? std::stoi(argv[3]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  fs::create_directories(out);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<fs::path> rack_dirs;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) rack_dirs.push_back(e.path());
  }
  std::sort(rack_dirs.begin(), rack_dirs.end());
  std::vector<std::string> rack_files(rack_dirs.size());
  std::atomic<size_t> next{0};
  std::atomic<long long> bytes{0}, nodes{0};
  auto work = [&] {
    for (size_t i = next++; i < rack_dirs.size(); i = next++) {
      RackOptions o;
      o.name = rack_dirs[i].filename().string();
      o.tool = {"tranche", "bench", "bench"};
      const auto files = report_files({rack_dirs[i].string()});
      for (const auto& f : files) bytes += static_cast<long long>(fs::file_size(f));
      nodes += static_cast<long long>(files.size());
      const auto report = aggregate_rack(files, o, 1);  // one rack per core: each rack streamed on one thread
      rack_files[i] = (fs::path(out) / (o.name + ".json")).string();
      write_file_atomic(rack_files[i], report.dump(1) + "\n");
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  const auto t1 = std::chrono::steady_clock::now();
  std::vector<RackInput> racks;
  for (const auto& f : rack_files) racks.push_back({f, sha256_hex(read_file(f)), load_rack_report(f)});
  const auto tr = aggregate_tranche(racks, "bench", {"tranche", "bench", "bench"});
  write_file_atomic((fs::path(out) / "tranche.json").string(), tr.dump(1) + "\n");
  const auto t2 = std::chrono::steady_clock::now();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double racks_s = std::chrono::duration<double>(t1 - t0).count();
  const double total_s = std::chrono::duration<double>(t2 - t0).count();
  std::cout << "nodes " << nodes.load() << ", racks " << rack_dirs.size() << ", bytes " << bytes.load()
            << ", threads " << threads << "\nracks_s " << racks_s << ", tranche_s " << total_s - racks_s
            << ", total_s " << total_s << ", MB/s " << bytes.load() / 1e6 / total_s << ", MB/s/core "
            << bytes.load() / 1e6 / total_s / threads << "\npeak_rss_MiB " << ru.ru_maxrss / 1024.0
            << "\nheadline " << tr["headline"].get<std::string>() << "\n";
  return 0;
}

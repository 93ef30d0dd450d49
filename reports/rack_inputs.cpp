// Parallel reading of a rack's node reports in bounded batches, aggregated in file order.
#include "reports/rack_inputs.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>
#include <variant>

#include "harness/core/errors.h"
#include "reports/fast_node_reader.h"

namespace tranche {

namespace fs = std::filesystem;

std::vector<std::string> report_files(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& e : fs::directory_iterator(a, ec)) {
        if (e.path().extension() == ".json" && !e.is_directory()) in_dir.push_back(e.path().string());
      }
      if (ec) throw InputError(a + ": cannot list the directory: " + ec.message());
      std::sort(in_dir.begin(), in_dir.end());
      out.insert(out.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(a, ec)) {
      out.push_back(a);
    } else {
      throw InputError(a + ": no such file or directory (give node report files or directories of them)");
    }
  }
  return out;
}

namespace {
struct ReadResult {
  std::optional<std::variant<NodeDigest, MultinodeInput>> input;
  std::string error;
};
}  // namespace

nlohmann::json aggregate_rack(const std::vector<std::string>& files, const RackOptions& options, int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  RackAggregator agg(options);
  const size_t batch = static_cast<size_t>(threads) * 4;
  std::vector<FastNodeReader> readers(static_cast<size_t>(threads));
  std::vector<ReadResult> results(batch);
  for (size_t start = 0; start < files.size(); start += batch) {
    const size_t count = std::min(batch, files.size() - start);
    std::atomic<size_t> next{0};
    auto work = [&](FastNodeReader& reader) {
      for (size_t i = next++; i < count; i = next++) {
        results[i] = {};
        try {
          results[i].input = reader.read_rack_input(files[start + i]);
        } catch (const std::exception& e) {  // InputError, or bad_alloc on a huge file: left out, named
          results[i].error = e.what();
        }
      }
    };
    if (threads == 1 || count == 1) {
      work(readers[0]);
    } else {
      std::vector<std::thread> pool;
      for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(readers[static_cast<size_t>(t)]));
      work(readers[0]);
      for (auto& th : pool) th.join();
    }
    for (size_t i = 0; i < count; ++i) {
      if (!results[i].input) {
        agg.exclude(files[start + i], results[i].error);
      } else if (auto* d = std::get_if<NodeDigest>(&*results[i].input)) {
        agg.add(std::move(*d));
      } else {
        agg.add_multinode(std::get<MultinodeInput>(std::move(*results[i].input)));
      }
      results[i] = {};
    }
  }
  return agg.finish();
}

}  // namespace tranche

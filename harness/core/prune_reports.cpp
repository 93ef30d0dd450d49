// prune_reports: the retention of the Slurm health check's and prolog's report directories.
#include "harness/core/prune_reports.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <system_error>

namespace tranche {
namespace {

// "<host>-20261201T170000.123Z[-N]" is a run of `host` (the time stamp starts with a digit and ends in Z).
bool is_run_of(const std::string& stem, const std::string& host) {
  if (stem.size() <= host.size() + 1 || stem.compare(0, host.size() + 1, host + "-") != 0) return false;
  const std::string rest = stem.substr(host.size() + 1);
  return rest.size() >= 16 && std::isdigit(static_cast<unsigned char>(rest[0])) && rest[8] == 'T' &&
         rest.find('Z') != std::string::npos;
}

}  // namespace

std::vector<std::string> prune_reports(const std::string& dir, const std::string& host, unsigned keep) {
  namespace fs = std::filesystem;
  std::vector<std::string> removed;
  if (keep == 0) return removed;
  std::map<std::string, std::vector<fs::path>> runs;  // base name -> its files, sorted by base name
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    for (const std::string suffix : {".events.jsonl", ".json"}) {
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        const std::string stem = name.substr(0, name.size() - suffix.size());
        if (is_run_of(stem, host)) runs[stem].push_back(it->path());
        break;
      }
    }
  }
  if (runs.size() <= keep) return removed;
  std::size_t drop = runs.size() - keep;
  for (const auto& [stem, files] : runs) {
    if (drop-- == 0) break;
    for (const auto& f : files) {
      if (fs::remove(f, ec)) removed.push_back(f.string());
    }
  }
  return removed;
}

}  // namespace tranche

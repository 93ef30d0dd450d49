// Keeps a directory that a periodic check writes into from growing without bound: only the newest reports stay.
#pragma once
#include <string>
#include <vector>

namespace tranche {

// Deletes all but the newest `keep` runs of `host` in `dir`: files named "<host>-<UTC time>Z[-N].json" and their
// "<...>.events.jsonl" logs (the names reserve_run_files gives; their time stamps sort as text). Other files,
// other hosts' runs and subdirectories are never touched. Returns the paths removed. keep == 0 keeps everything
// (pruning off). Never throws: a file that cannot be removed is skipped.
std::vector<std::string> prune_reports(const std::string& dir, const std::string& host, unsigned keep);

}  // namespace tranche

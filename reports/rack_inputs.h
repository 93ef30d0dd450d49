// Rack inputs: node report files named on the command line (files or directories), read in parallel.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/rack_report.h"

namespace tranche {

// Files named directly, plus the *.json files directly inside each directory, directories sorted by name.
// Throws InputError naming an argument that is neither a file nor a directory.
std::vector<std::string> report_files(const std::vector<std::string>& args);

// Reads `files` with FastNodeReader on `threads` threads (0: all cores), in batches so that at most a few
// digests per thread are held at once, and adds them to a RackAggregator in file order; an unreadable or
// invalid report is excluded with its one-line error. A tranche/nccl-multinode/v1 file among them is read whole
// and summarised in the rack report's "multinode" list. Returns the rack report.
nlohmann::json aggregate_rack(const std::vector<std::string>& files, const RackOptions& options, int threads);

}  // namespace tranche

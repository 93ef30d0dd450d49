// The names of a run's report and event log: unique per run, even for two runs started in the same millisecond.
#pragma once
#include <chrono>
#include <string>

namespace tranche {

// Reserves "<dir>/<host>-<UTC time with ms>Z" (plus "-2", "-3", ... when a run already holds that name) by
// creating its event log "<base>.events.jsonl" exclusively (O_EXCL), so no two runs share a name and no report
// is overwritten. Returns the base path (without .json / .events.jsonl). Throws InputError naming the directory
// when no name can be created.
std::string reserve_run_files(const std::string& dir, const std::string& host,
                              std::chrono::system_clock::time_point started);

}  // namespace tranche

// What `tranche rack` and `tranche compare` print: the rack's RMA list, outliers and non-accepted nodes, and the
// compare report's regressions, as terminal tables, each ending in one verdict line.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "reports/terminal_table.h"

namespace tranche {

// A rack report (tranche/rack-report): nodes not accepted (host, acceptance, worst outcome, failing checks), the
// GPUs to return (host, GPU, serial, bus id, check, why), the fleet outliers (observed, rack median, ratio,
// outcome), the missing hosts, then "Verdict: <headline>". Keys a report lacks are shown as "-".
std::string render_rack_summary(const nlohmann::json& rack, const TableStyle& style = {});

// A compare report (tranche/compare-report): the regressions and the figures that changed beyond the tolerance
// (subject, metric, before, after, ratio, outcome), outcome changes, missing, added and moved GPUs, then
// "Verdict: <headline>".
std::string render_compare_summary(const nlohmann::json& compare, const TableStyle& style = {});

}  // namespace tranche

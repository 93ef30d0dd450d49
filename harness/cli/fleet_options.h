// Command-line options shared by tranche rack and tranche tranche: the fleet outlier rule and --strict.
#pragma once
#include <CLI/CLI.hpp>

#include "reports/node_report.h"
#include "reports/rack_report.h"
#include "tranche/version.h"

namespace tranche::cli {

inline void add_fleet_options(CLI::App& cmd, FleetOptions& o) {
  cmd.add_option("--outlier-z", o.rule.z_threshold,
                 "Modified z-score (median/MAD) beyond which a GPU or node is a fleet outlier (docs/methodology/fleet.md)")
      ->default_val(o.rule.z_threshold)
      ->check(CLI::PositiveNumber);
  cmd.add_option("--outlier-percent", o.rule.min_percent,
                 "...and how far below the rack median (percent, on the worse side) it must also be")
      ->default_val(o.rule.min_percent)
      ->check(CLI::NonNegativeNumber);
  cmd.add_flag("--outliers-fail", o.outliers_fail,
               "A fleet outlier fails (and its GPU joins the RMA list) instead of warning");
  cmd.add_flag("--strict", o.strict, "Stop at the first report left out or flagged (exit 64) instead of going on");
}

inline ToolInfo tool_info() { return ToolInfo{"tranche", kToolVersion, kGitSha}; }

}  // namespace tranche::cli

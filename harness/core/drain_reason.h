// The one-line reason tranche gives Slurm when it drains a node: what failed first, within Slurm's 255 bytes.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/verdict.h"

namespace tranche {

// Every reason tranche sets starts with this; `tranche slurm healthcheck --resume` undrains only such nodes.
inline constexpr std::string_view kDrainReasonPrefix = "tranche: ";
// Slurm's accounting database cuts node reasons at 255 bytes (docs/operations.md).
inline constexpr std::size_t kDrainReasonMaxBytes = 255;

// "tranche: <check> gpu<i> <why>[; +N more]; report=<path>", at most kDrainReasonMaxBytes bytes, cut on a UTF-8
// character boundary. <check> drops the "preflight." family prefix so that the first 20 characters (what
// `sinfo -R` shows by default) name the check. The first fail verdict is named, else the first error, else the
// first required skip; `failures` counts every verdict that is fail or error. Quotes and newlines in messages
// become spaces (Slurm and shells). The report path is kept whole when it fits in half the budget, else only its
// file name is kept. Pure; never throws for any input.
std::string drain_reason(const std::vector<Verdict>& verdicts, std::string_view report_path);

// True when a node's current reason was set by tranche (starts with kDrainReasonPrefix).
bool is_tranche_reason(std::string_view reason);

// `s` cut to at most max_bytes bytes without splitting a UTF-8 sequence.
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace tranche

// The memtest procedure shared by the memtest.* checks: most of the free memory in chunks, each pattern written
// and verified on the GPU, errors counted with the first bad words.
#pragma once
#include <string>
#include <vector>

#include "harness/core/check.h"
#include "kernels/memtest_pattern.h"

namespace tranche {

// The CheckInfo of memtest.<variant> (scope gpu, order 35, metrics mismatches and tested_bytes).
CheckInfo memtest_check_info(const std::string& id, const std::string& summary);

// Expected seconds of running `patterns` with these parameters (CheckInfo::estimate_s of each memtest check).
double memtest_estimate_s(const nlohmann::json& params, const std::vector<kernels::MemtestPattern>& patterns);

// Runs `patterns` (each with its memtest_steps) `passes` times over the memory on ctx.device(); metric
// <id>/mismatches (words that read back wrong) and <id>/tested_bytes; details: chunks, seconds per step, the first
// bad words (byte offset into the tested region, expected, got, as hex). Honours cancellation and the deadline
// between steps. Throws GpuError for a failed API call.
Measurement run_memtest(RunContext& ctx, const std::string& id, const std::vector<kernels::MemtestPattern>& patterns);

}  // namespace tranche

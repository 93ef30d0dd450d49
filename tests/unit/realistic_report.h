// A realistic 8-GPU acceptance report built from the registry, for size limits and reader benchmarks.
#pragma once
#include <string>

#include "reports/node_report.h"

namespace tranche::test {

// Every registered check's declared metrics: gpu-scoped checks on each of the 8 GPUs of the healthy HGX H100
// inventory fixture, peer-to-peer checks for every ordered GPU pair, preflight from the fixture itself; each
// timed figure (B/s, FLOP/s, s) with 30 samples around 97% of its H100 reference (1% spread, seeded), label sets
// as the shipped H100 baseline names them (plus the PCIe phases and P2P copy methods the checks add); judged
// against that baseline. `source_dir` is the repository root.
NodeReport realistic_acceptance_report(const std::string& source_dir);

}  // namespace tranche::test

// Nominal rates behind the checks' duration estimates (tranche list --profiles, the run's ETA): round figures of
// a current datacenter GPU node, so an estimate is the right order of magnitude on any SKU, not a measurement.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/core/plan.h"

namespace tranche {

// Device memory (HBM) bandwidth assumed by estimates: 2e12 B/s (A100 80GB 2.0 TB/s, H100 SXM 3.35 TB/s datasheets).
inline constexpr double kNominalHbmBytesPerS = 2e12;
// One GPU's PCIe host link: 25e9 B/s (a PCIe Gen4 x16 link moves about 25 GB/s per direction in practice).
inline constexpr double kNominalPcieBytesPerS = 25e9;
// Peer-to-peer over NVLink or PCIe, and NCCL bus bandwidth within a node: 1e11 B/s.
inline constexpr double kNominalPeerBytesPerS = 1e11;
// Device memory assumed by memtest estimates: 80e9 B (A100/H100 80 GB).
inline constexpr double kNominalDeviceMemoryBytes = 80e9;
// Context creation, allocation and random fill before a check's first timed work.
inline constexpr double kNominalSetupS = 1.0;

// params[name] as a number; `fallback` when absent or not a number (estimates never throw).
double param_number(const nlohmann::json& params, const std::string& name, double fallback);
// The number of elements of list parameter `name` (1 for a scalar or when absent).
std::size_t param_list_size(const nlohmann::json& params, const std::string& name);

// Expected seconds of one plan item with its effective parameters on `gpus` GPUs: the check's estimate_s (0 when
// it declares none), times the number of GPUs when a gpu-scoped check runs them one at a time (--sequential).
double estimate_item_s(const PlanItem& item, int gpus, bool sequential);
// The whole plan: checks run one after another, so their estimates add up.
double estimate_plan_s(const Plan& plan);

}  // namespace tranche

// The kubectl commands that label (and optionally taint) a Kubernetes node with a tranche verdict.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "harness/core/verdict.h"

namespace tranche {

inline constexpr const char* kVerdictLabel = "tranche.io/verdict";
inline constexpr const char* kCheckedAtLabel = "tranche.io/checked-at";
inline constexpr const char* kUnhealthyTaint = "tranche.io/unhealthy";

// PASS (accepted, no warn), WARN (accepted with a warn) or FAIL (rejected, and incomplete: acceptance is
// fail-closed, a node that could not be measured is not labelled healthy).
std::string node_verdict_label(const Summary& summary);

// A label value may not hold ':' (Kubernetes label values: [A-Za-z0-9._-], at most 63), so the time is ISO 8601
// basic format in UTC: 20261201T170000Z.
std::string checked_at_label(std::chrono::system_clock::time_point t);

// The commands, one per line, each a complete shell command with every argument single-quoted:
//   kubectl label node 'NODE' --overwrite 'tranche.io/verdict=FAIL' 'tranche.io/checked-at=20261201T170000Z'
// and with `taint`: on FAIL `kubectl taint node 'NODE' --overwrite 'tranche.io/unhealthy=true:NoSchedule'`,
// otherwise its removal `kubectl taint node 'NODE' 'tranche.io/unhealthy:NoSchedule-' || true` (kubectl fails when
// the taint is absent). Taints go through kubectl because Node spec.taints is an atomic list: a PATCH would
// replace other owners' taints. Throws InputError when `node` is not a valid node name (DNS subdomain).
std::vector<std::string> kubectl_label_commands(const std::string& node, const Summary& summary,
                                                std::chrono::system_clock::time_point checked_at, bool taint);

}  // namespace tranche

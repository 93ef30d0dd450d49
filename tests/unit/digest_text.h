// Test helper: a NodeDigest as text, every field on its own line, so two readers' digests compare with EXPECT_EQ.
#pragma once
#include <sstream>
#include <string>

#include "reports/node_digest.h"

namespace tranche::test {

// with_sha256: false when one side is node_digest_from_report, which leaves the file hash to its caller.
inline std::string digest_text(const NodeDigest& d, bool with_sha256 = true) {
  std::ostringstream os;
  os << d.schema << "|" << d.host << "|" << d.baseline_id << "|" << d.baseline_sha256 << "|"
     << (with_sha256 ? d.sha256 : std::string()) << "\n";
  for (const auto& g : d.gpus) os << g.index << " " << g.name << " " << g.serial << " " << g.uuid << " " << g.pci_bus_id << "\n";
  for (const auto& f : d.figures) os << f.key << " " << f.unit << " " << f.device.value_or(-1) << " " << f.value << "\n";
  for (const auto& p : d.problems) {
    os << p.check_id << " " << p.metric << " " << p.device.value_or(-1) << " " << to_string(p.outcome) << " "
       << p.message << " " << p.error_id << "\n";
  }
  for (const auto& [c, n] : d.outcomes_by_check) os << c << " " << n[0] << n[1] << n[2] << n[3] << n[4] << n[5] << "\n";
  for (const auto& [c, r] : d.standing_by_check) os << c << " standing " << r << "\n";
  const Summary& s = d.summary;
  os << to_string(s.acceptance) << " " << to_string(s.worst) << " " << s.headline << "\n";
  for (const auto& [k, v] : s.counts) os << k << "=" << v << " ";
  for (const auto& [g, o] : s.gpu_outcomes) os << g << ":" << to_string(o) << " ";
  for (const auto& e : s.error_ids) os << e << " ";
  for (const auto& u : s.unjudged_metrics) os << u << " ";
  return os.str();
}

}  // namespace tranche::test

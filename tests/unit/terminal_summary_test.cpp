// The terminal summary: one row per (check, GPU), node-scoped checks' per-GPU figures on their GPU's row.
#include <gtest/gtest.h>

#include "reports/terminal_summary.h"
#include "reports/units.h"

namespace tranche {
namespace {

TEST(Units, FormatsByUnit) {
  EXPECT_EQ(format_value(7.98e14, "FLOP/s"), "798.0 TFLOP/s");
  EXPECT_EQ(format_value(3.0e12, "B/s"), "3000.0 GB/s");
  EXPECT_EQ(format_value(2.5e-6, "s"), "2.50 us");
  EXPECT_EQ(format_value(std::nullopt, "B/s"), "-");
  EXPECT_EQ(format_value(7.0, "count"), "7");
}

TEST(TerminalSummary, PerGpuFiguresOfANodeScopedCheckLandOnTheirRows) {
  NodeReport r;
  r.tool.version = "0.1.0";
  r.host = "n1";
  Measurement m;
  m.check_id = "pcie.h2d";
  Metric& a = m.add_metric("bandwidth", 5.5e10, "B/s");
  a.device = 0;
  Metric& b = m.add_metric("bandwidth", 2.7e10, "B/s");
  b.device = 1;
  r.measurements.push_back(m);
  Verdict v0, v1;
  v0.check_id = v1.check_id = "pcie.h2d";
  v0.device = 0;
  v1.device = 1;
  v1.outcome = Outcome::fail;
  v1.message = "link trained at x8";
  r.verdicts = {v0, v1};
  r.summary = summarize(r.verdicts);
  const std::string out = render_terminal_summary(r);
  EXPECT_NE(out.find("\n  0  pcie.h2d  55.0 GB/s                    pass\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\n  1  pcie.h2d  27.0 GB/s                    fail     link trained at x8\n"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("node  pcie.h2d"), std::string::npos) << "no empty node row for a per-GPU check: " << out;
  EXPECT_NE(out.find("Verdict: rejected"), std::string::npos);
}

}  // namespace
}  // namespace tranche

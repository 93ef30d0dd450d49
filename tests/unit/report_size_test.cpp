// The compact node report's size limit (#25): a realistic 8-GPU acceptance report with every check of the
// registry must stay at or under 256 KiB, and v2 must keep every figure's value, statistic, n, min, max and cv.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "harness/core/atomic_file.h"
#include "harness/core/model_json.h"
#include "reports/node_report.h"
#include "tests/unit/realistic_report.h"

namespace tranche {
namespace {

constexpr size_t kReportLimitBytes = 256 * 1024;

TEST(ReportSize, RealisticAcceptanceReportIsAtMost256KiB) {
  const NodeReport r = test::realistic_acceptance_report(TRANCHE_SOURCE_DIR);
  size_t metrics = 0;
  for (const auto& m : r.measurements) metrics += m.metrics.size();
  ASSERT_GT(r.measurements.size(), 100u) << "the realistic report lost its checks";
  ASSERT_GT(metrics, 900u);
  ASSERT_GT(r.verdicts.size(), 400u);

  const std::string compact = node_report_text(r);
  const std::string pretty = node_report_text(r, true);
  // The same content in the v1 layout (indented, every verdict spelling out its expectation, every sample).
  nlohmann::json v1 = nlohmann::json::array();
  for (const auto& m : r.measurements) v1.push_back(to_json(m));
  for (const auto& v : r.verdicts) v1.push_back(to_json(v));
  std::printf("realistic report: %zu measurements, %zu metrics, %zu verdicts; v2 %zu B (pretty %zu B); "
              "v1 layout of measurements+verdicts alone %zu B\n",
              r.measurements.size(), metrics, r.verdicts.size(), compact.size(), pretty.size(), v1.dump(2).size());
  EXPECT_LE(compact.size(), kReportLimitBytes) << "the compact node report grew past 256 KiB";
  // For benchmarks and inspection: TRANCHE_WRITE_REALISTIC_REPORT=path writes the report there.
  if (const char* path = std::getenv("TRANCHE_WRITE_REALISTIC_REPORT")) write_file_atomic(path, compact);
}

TEST(ReportSize, EveryFigureKeepsItsStatisticsThroughTheCompactLayout) {
  const NodeReport r = test::realistic_acceptance_report(TRANCHE_SOURCE_DIR);
  const NodeReport back = node_report_from_json(nlohmann::json::parse(node_report_text(r)), "mem");
  ASSERT_EQ(back.measurements.size(), r.measurements.size());
  for (size_t i = 0; i < r.measurements.size(); ++i) {
    ASSERT_EQ(back.measurements[i].metrics.size(), r.measurements[i].metrics.size());
    for (size_t k = 0; k < r.measurements[i].metrics.size(); ++k) {
      const Metric& a = r.measurements[i].metrics[k];
      const Metric& b = back.measurements[i].metrics[k];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.value, b.value) << a.name;  // exact: re-judging reads it
      EXPECT_EQ(a.statistic, b.statistic);
      EXPECT_EQ(a.n_samples, b.n_samples);
      // The spread is kept to 7 significant digits, cv to 4 (docs/report-format.md).
      ASSERT_EQ(a.min.has_value(), b.min.has_value());
      ASSERT_EQ(a.max.has_value(), b.max.has_value());
      ASSERT_EQ(a.cv.has_value(), b.cv.has_value());
      if (a.min) {
        EXPECT_NEAR(*b.min / *a.min, 1.0, 1e-6) << a.name;
      }
      if (a.max) {
        EXPECT_NEAR(*b.max / *a.max, 1.0, 1e-6) << a.name;
      }
      if (a.cv) {
        EXPECT_NEAR(*b.cv / *a.cv, 1.0, 1e-3) << a.name;
      }
      EXPECT_EQ(a.labels, b.labels);
      EXPECT_EQ(a.device, b.device);
    }
  }
  ASSERT_EQ(back.verdicts.size(), r.verdicts.size());
  for (size_t i = 0; i < r.verdicts.size(); ++i) {
    nlohmann::json a = to_json(r.verdicts[i]), b = to_json(back.verdicts[i]);
    // A pass judged against an expectation and an unjudged figure drop their message; ratios keep 6 digits.
    if ((a["outcome"] == "pass" && a["reference"].is_number()) || a["outcome"] == "unjudged") a["message"] = "";
    if (a["ratio"].is_number()) {
      EXPECT_NEAR(b["ratio"].get<double>(), a["ratio"].get<double>(), 1e-5 * std::abs(a["ratio"].get<double>()));
      a.erase("ratio");
      b.erase("ratio");
    }
    EXPECT_EQ(b, a) << "verdict " << i;
  }
}

}  // namespace
}  // namespace tranche

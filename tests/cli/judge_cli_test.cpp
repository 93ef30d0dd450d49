// tranche judge: re-judging fixture reports against shipped baselines, SKU detection and site overrides.
#include <gtest/gtest.h>

#include <filesystem>

#include "reports/node_report.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kEnv = "TRANCHE_BASELINES_DIR=" + std::string(TRANCHE_SOURCE_DIR) + "/baselines";
const std::string kReport = kData + "/reports/h100-8gpu.json";

const Verdict* find(const NodeReport& r, const std::string& metric, int device) {
  for (const auto& v : r.verdicts) {
    if (v.metric == metric && v.device == device) return &v;
  }
  return nullptr;
}

// Passes when the verdict on metric for device exists and has outcome `want`; a missing verdict fails the test
// instead of crashing it.
testing::AssertionResult outcome_is(const NodeReport& r, const std::string& metric, int device, Outcome want) {
  const Verdict* v = find(r, metric, device);
  if (!v) return testing::AssertionFailure() << "no verdict on " << metric << " for GPU " << device;
  if (v->outcome != want) {
    return testing::AssertionFailure() << metric << " on GPU " << device << " is " << to_string(v->outcome)
                                       << ", expected " << to_string(want) << ": " << v->message;
  }
  return testing::AssertionSuccess();
}

TEST(JudgeCli, AgainstTwoSkusWritesReportsWithDifferentVerdicts) {
  const std::string dir = make_temp_dir();
  const CliResult h = run_cli({"judge", kReport, "--baseline", "h100-sxm5-80gb", "-o", dir + "/h100.json"}, "", kEnv);
  EXPECT_EQ(h.exit_code, 1) << h.err;  // GPU 7 wrong results, GPU 3 at x8 (GPU 6 at 0.878 only warns)
  const NodeReport rh = load_node_report(dir + "/h100.json");
  EXPECT_EQ(rh.baseline.id, "h100-sxm5-80gb");
  EXPECT_EQ(rh.baseline.sha256.size(), 64u);
  EXPECT_EQ(rh.summary.acceptance, Acceptance::rejected);
  EXPECT_TRUE(outcome_is(rh, "gemm.bf16/flops", 5, Outcome::pass));  // 0.928 >= 0.92 (measured margins)
  EXPECT_TRUE(outcome_is(rh, "gemm.bf16/flops", 6, Outcome::warn));  // 0.878: between 0.85 and 0.92
  EXPECT_TRUE(outcome_is(rh, "pcie.h2d/link_width", 3, Outcome::fail));
  EXPECT_TRUE(outcome_is(rh, "pcie.h2d/link_generation", 0, Outcome::pass));
  EXPECT_EQ(rh.measurements.size(), load_node_report(kReport).measurements.size());  // raw data kept
  EXPECT_NE(h.out.find("GPU 7: rejected"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("GPU 6: accepted"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("GPU 0: accepted"), std::string::npos) << h.out;

  const CliResult a = run_cli({"judge", kReport, "--baseline", "a100-sxm4-80gb", "-o", dir + "/a100.json"}, "", kEnv);
  EXPECT_EQ(a.exit_code, 1) << a.err;
  const NodeReport ra = load_node_report(dir + "/a100.json");
  EXPECT_EQ(ra.baseline.id, "a100-sxm4-80gb");
  EXPECT_TRUE(outcome_is(ra, "gemm.bf16/flops", 6, Outcome::pass));           // 700 >> 264.5 TFLOP/s
  EXPECT_TRUE(outcome_is(ra, "pcie.h2d/link_generation", 0, Outcome::fail));  // Gen5 where Gen4 is expected
  EXPECT_NE(a.err.find("look like h100-sxm5-80gb"), std::string::npos) << a.err;
  fs::remove_all(dir);
}

TEST(JudgeCli, DetectsTheSkuFromTheReportInventory) {
  const CliResult r = run_cli({"judge", kReport}, "", kEnv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("baseline h100-sxm5-80gb"), std::string::npos) << r.out;
}

TEST(JudgeCli, UnknownSkuIsIncompleteWithTheFix) {
  const CliResult r = run_cli({"judge", kData + "/reports/unknown-sku.json"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("NVIDIA RTX 6000 Ada Generation"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("h100-sxm5-80gb"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--baseline FILE"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("E_UNKNOWN_SKU"), std::string::npos) << r.out;
  // The fix works: an explicit baseline judges it.
  const CliResult f = run_cli({"judge", kData + "/reports/unknown-sku.json", "--baseline", "l40s"}, "", kEnv);
  EXPECT_EQ(f.exit_code, 0) << f.out << f.err;
}

TEST(JudgeCli, MixedSkuNodeIsRejected) {
  const CliResult r = run_cli({"judge", kData + "/reports/mixed-sku.json"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("E_MIXED_SKU"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("GPU 1 (NVIDIA H100 PCIe"), std::string::npos) << r.err;
  // Naming a baseline does not make a mixed node acceptable.
  EXPECT_EQ(run_cli({"judge", kData + "/reports/mixed-sku.json", "--baseline", "h100-sxm5-80gb"}, "", kEnv).exit_code,
            1);
}

TEST(JudgeCli, SiteOverridesAreAppliedAndRecorded) {
  const std::string dir = make_temp_dir();
  const std::string ov = kData + "/baselines/overrides/stricter-h100.json";
  const CliResult r = run_cli({"judge", kReport, "--overrides", ov, "-o", dir + "/r.json"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const NodeReport rep = load_node_report(dir + "/r.json");
  EXPECT_EQ(rep.baseline.overrides_file, ov);
  EXPECT_EQ(rep.baseline.overrides_sha256.size(), 64u);
  const Verdict* v = find(rep, "gemm.bf16/flops", 5);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->fail_ratio, 0.93);
  EXPECT_EQ(v->outcome, Outcome::fail);  // 0.928 warned under the vendor margin, fails under the site's
  EXPECT_NE(v->source.find("site override"), std::string::npos);
  bool added = false;
  for (const auto& x : rep.verdicts) added |= x.metric == "pcie.h2d/aggregate_bandwidth" && x.outcome == Outcome::pass;
  EXPECT_TRUE(added);  // the site's extra expectation: 208 GB/s against 200
  fs::remove_all(dir);
}

// tranche run's baseline wiring on this GPU-less machine: the choice is validated before anything runs and
// recorded in the report, which still says E_NO_DEVICE.
TEST(RunBaselineOptions, RecordedInTheReportAndValidatedUpFront) {
  const std::string dir = make_temp_dir();
  const std::string ov = kData + "/baselines/overrides/stricter-h100.json";
  const CliResult r = run_cli(
      {"run", "--checks", "preflight.", "--baseline", "h100-sxm5-80gb", "--overrides", ov, "--exclusive", "--out", dir},
      "", kEnv + " CUDA_VISIBLE_DEVICES=");
  const auto reports = files_with_suffix(dir, "Z.json");
  ASSERT_EQ(reports.size(), 1u) << r.out << r.err;
  const NodeReport rep = load_node_report(reports[0]);
  if (rep.inventory["gpus"].empty()) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(rep.summary.headline.find("E_NO_DEVICE"), std::string::npos);
  }
  EXPECT_EQ(rep.baseline.id, "h100-sxm5-80gb");
  EXPECT_EQ(rep.baseline.sha256.size(), 64u);
  EXPECT_EQ(rep.baseline.overrides_file, ov);
  EXPECT_EQ(rep.options["exclusive"], true);
  fs::remove_all(dir);

  const std::string dir2 = make_temp_dir();
  const CliResult bad = run_cli({"run", "--checks", "preflight.", "--baseline", "h900", "--out", dir2}, "", kEnv);
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("known SKUs"), std::string::npos) << bad.err;
  const CliResult loose = run_cli({"run", "--checks", "preflight.", "--baseline", "h100-sxm5-80gb", "--overrides",
                                   kData + "/baselines/overrides/looser-h100.json", "--out", dir2},
                                  "", kEnv);
  EXPECT_EQ(loose.exit_code, 64);
  EXPECT_TRUE(files_with_suffix(dir2, "Z.json").empty());  // nothing ran
  fs::remove_all(dir2);
}

TEST(JudgeCli, BadInputIsExit64) {
  EXPECT_EQ(run_cli({"judge", kData + "/reports/nope.json"}, "", kEnv).exit_code, 64);
  EXPECT_EQ(run_cli({"judge", kReport, "--baseline", "h900"}, "", kEnv).exit_code, 64);
  const CliResult loose =
      run_cli({"judge", kReport, "--overrides", kData + "/baselines/overrides/looser-h100.json"}, "", kEnv);
  EXPECT_EQ(loose.exit_code, 64);
  EXPECT_NE(loose.err.find("only tighten"), std::string::npos) << loose.err;
  EXPECT_EQ(run_cli({"judge", kReport, "--baseline", kData + "/baselines/malformed/08-fail-above-warn.json"}, "", kEnv)
                .exit_code,
            64);
}

}  // namespace
}  // namespace tranche::test

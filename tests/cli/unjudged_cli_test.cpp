// Nothing passes unjudged, and baselines name only declared metrics: the built binary on fixture reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/atomic_file.h"
#include "reports/node_report.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kSkus = std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus";
const std::string kEnv = "TRANCHE_BASELINES_DIR=" + std::string(TRANCHE_SOURCE_DIR) + "/baselines";
// Two healthy L40S-class GEMM measurements (BF16 at 8192^3) on a GPU no shipped baseline matches.
const std::string kHealthy = kData + "/reports/unknown-sku.json";

// The shipped l40s baseline without its gemm.bf16/flops expectations, written to dir.
std::string l40s_without_bf16(const std::string& dir) {
  nlohmann::json b = nlohmann::json::parse(read_file(kSkus + "/l40s.json"));
  auto& ex = b["expectations"];
  ex.erase(std::remove_if(ex.begin(), ex.end(), [](const nlohmann::json& e) { return e["metric"] == "gemm.bf16/flops"; }),
           ex.end());
  const std::string path = dir + "/l40s-no-bf16.json";
  std::ofstream(path) << b.dump(2);
  return path;
}

TEST(UnjudgedCli, RequiredCheckWithoutAnExpectationIsNotAcceptedExit2) {
  const std::string dir = make_temp_dir();
  // With its expectation the same report is accepted (exit 0): the figures are healthy.
  EXPECT_EQ(run_cli({"judge", kHealthy, "--baseline", "l40s"}, "", kEnv).exit_code, 0);

  const CliResult r =
      run_cli({"judge", kHealthy, "--baseline", l40s_without_bf16(dir), "-o", dir + "/r.json"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("E_NO_EXPECTATION"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tranche baseline derive"), std::string::npos) << r.out;
  const NodeReport rep = load_node_report(dir + "/r.json");
  EXPECT_EQ(rep.summary.acceptance, Acceptance::incomplete);
  EXPECT_EQ(rep.summary.counts.at("pass"), 2);  // the two zero-mismatch verdicts, nothing else
  EXPECT_EQ(rep.summary.counts.at("unjudged"), 2);
  EXPECT_EQ(rep.summary.unjudged_metrics, std::vector<std::string>{"gemm.bf16/flops"});
  for (const auto& v : rep.verdicts) {
    if (v.metric == "gemm.bf16/flops") {
      EXPECT_NE(v.outcome, Outcome::pass) << v.message;
    }
  }
  fs::remove_all(dir);
}

TEST(UnjudgedCli, ValidateRefusesAnUndeclaredMetricExit64OneLine) {
  const std::string bad = kData + "/baselines/malformed/27-undeclared-metric.json";
  const CliResult r = run_cli({"baseline", "validate", bad}, "", kEnv);
  EXPECT_EQ(r.exit_code, 64);
  const std::string first = r.err.substr(0, r.err.find('\n'));
  EXPECT_EQ(first, "tranche: " + bad +
                       ": $.expectations[0].metric: 'gemm.bf61/flops' is not a metric any check declares; fix the "
                       "name (tranche list --verbose lists each check's metrics) or remove the expectation");
}

TEST(UnjudgedCli, UndeclaredMetricIsRefusedAtLoadToo) {
  const std::string bad = kData + "/baselines/malformed/27-undeclared-metric.json";
  const CliResult j = run_cli({"judge", kHealthy, "--baseline", bad}, "", kEnv);
  EXPECT_EQ(j.exit_code, 64);
  EXPECT_NE(j.err.find("gemm.bf61/flops"), std::string::npos) << j.err;
  // A shipped-baselines directory holding the typo refuses to list rather than ignoring the expectation.
  const std::string dir = make_temp_dir();
  fs::create_directories(dir + "/skus");
  fs::copy_file(bad, dir + "/skus/test-sku.json");
  const CliResult l = run_cli({"baseline", "list"}, "", "TRANCHE_BASELINES_DIR=" + dir);
  EXPECT_EQ(l.exit_code, 64);
  EXPECT_NE(l.err.find(dir + "/skus/test-sku.json: $.expectations[0].metric"), std::string::npos) << l.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tranche::test

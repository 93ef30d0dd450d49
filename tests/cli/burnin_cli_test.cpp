// `tranche run --profile burnin --duration ...` and `tranche list` for the burn-in and memtest checks, on this
// machine (no GPU: the acceptance path is E_NO_DEVICE, exit 2, a schema-valid report).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;

TEST(CliBurnin, ListShowsBurninAndMemtestChecks) {
  auto r = run_cli({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"burnin.gemm", "burnin.power", "memtest.walking", "memtest.inversions", "memtest.address",
                         "memtest.random"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
  auto v = run_cli({"list", "--verbose"});
  EXPECT_NE(v.out.find("burnin.gemm.duration_s="), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("burnin.gemm.inject_fault="), std::string::npos);
}

TEST(CliBurnin, OneMinuteBurninWithoutAGpuIsENoDeviceExit2) {
  if (fs::exists("/dev/nvidiactl")) GTEST_SKIP() << "a GPU driver is present: this test covers GPU-less nodes";
  const std::string out = make_temp_dir();
  auto r = run_cli({"run", "--profile", "burnin", "--duration", "1m", "--out", out});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("E_NO_DEVICE"), std::string::npos) << r.out;
  const auto reports = files_with_suffix(out, ".json");
  ASSERT_EQ(reports.size(), 1u);
  std::ifstream in(reports[0]);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["summary"]["acceptance"], "incomplete");
  auto valid = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                         TRANCHE_SOURCE_DIR + "/reports/schema/node-report.schema.json " + reports[0]);
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  fs::remove_all(out);
}

TEST(CliBurnin, BadDurationIsOneLineExit64NamingTheOption) {
  const std::string out = make_temp_dir();
  for (const char* bad : {"30x", "10s", "40d", ""}) {
    auto r = run_cli({"run", "--profile", "burnin", "--duration", bad, "--out", out});
    EXPECT_EQ(r.exit_code, 64) << bad << r.err;
    EXPECT_NE(r.err.find("--duration"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(files_with_suffix(out, ".json").empty());
  fs::remove_all(out);
}

}  // namespace
}  // namespace tranche::test

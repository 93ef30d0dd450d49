// The files tranche reads and writes match their JSON Schemas: the golden node report, reports re-judged with
// verdicts (vendor baseline and site overrides), and site-override files. A missing jsonschema fails, never skips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kSrc = TRANCHE_SOURCE_DIR;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kEnv = "TRANCHE_BASELINES_DIR=" + kSrc + "/baselines";
const std::string kReportSchema = kSrc + "/reports/schema/node-report.schema.json";
const std::string kOverridesSchema = kSrc + "/baselines/schema/site-overrides.schema.json";

// Validates a file with tests/tools/validate_json.py under TRANCHE_PYTHON (exit 0 valid, 1 invalid, 3 no jsonschema).
testing::AssertionResult valid(const std::string& schema, const std::string& file) {
  const CliResult r = run_shell("'" + std::string(TRANCHE_PYTHON) + "' '" + kSrc + "/tests/tools/validate_json.py' '" +
                                schema + "' '" + file + "'");
  if (r.exit_code == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << file << " against " << schema << ": exit " << r.exit_code << "\n" << r.err;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(SchemaFiles, GoldenNodeReportMatchesTheSchema) {
  EXPECT_TRUE(valid(kReportSchema, kData + "/golden/node_report.json"));
}

TEST(SchemaFiles, JudgedReportsWithVerdictsMatchTheSchema) {
  const std::string dir = make_temp_dir();
  const std::string report = kData + "/reports/h100-8gpu.json";
  const std::vector<std::vector<std::string>> runs = {
      {"judge", report, "--baseline", "h100-sxm5-80gb", "-o", dir + "/vendor.json"},
      {"judge", report, "--baseline", "a100-sxm4-80gb", "-o", dir + "/other-sku.json"},
      {"judge", report, "--overrides", kData + "/baselines/overrides/stricter-h100.json", "-o", dir + "/site.json"},
      {"judge", kData + "/reports/unknown-sku.json", "-o", dir + "/unknown.json"},
  };
  for (const auto& args : runs) {
    const CliResult r = run_cli(args, "", kEnv);
    const std::string out = args.back();
    ASSERT_TRUE(fs::exists(out)) << out << ": exit " << r.exit_code << " " << r.err;
    EXPECT_FALSE(read_json(out)["verdicts"].empty()) << out;
    EXPECT_TRUE(valid(kReportSchema, out));
  }
  fs::remove_all(dir);
}

TEST(SchemaFiles, SiteOverrideFilesMatchTheSchema) {
  const auto files = files_with_suffix(kData + "/baselines/overrides", ".json");
  ASSERT_GE(files.size(), 3u);
  for (const auto& f : files) EXPECT_TRUE(valid(kOverridesSchema, f));
  // Not vacuous: a key the format does not have is rejected.
  const std::string dir = make_temp_dir();
  nlohmann::json broken = read_json(kData + "/baselines/overrides/stricter-h100.json");
  broken["no_such_key"] = 1;
  std::ofstream(dir + "/broken.json") << broken.dump();
  EXPECT_FALSE(valid(kOverridesSchema, dir + "/broken.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tranche::test

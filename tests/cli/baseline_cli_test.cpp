// tranche baseline list|show|validate|derive, run as the built binary.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness/judge/baseline_file.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kSrc = TRANCHE_SOURCE_DIR;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kEnv = "TRANCHE_BASELINES_DIR=" + kSrc + "/baselines";

std::vector<std::string> shipped_files() {
  std::vector<std::string> out = files_with_suffix(kSrc + "/baselines/skus", ".json");
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BaselineCli, ValidateEveryShippedBaseline) {
  std::vector<std::string> args{"baseline", "validate"};
  for (const auto& f : shipped_files()) args.push_back(f);
  ASSERT_GE(args.size(), 13u);
  const CliResult r = run_cli(args, "", kEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : shipped_files()) EXPECT_NE(r.out.find("ok  " + f), std::string::npos) << f;
}

TEST(BaselineCli, ShippedBaselinesMatchTheJsonSchema) {
  const std::string py = TRANCHE_PYTHON;
  ASSERT_EQ(run_shell("'" + py + "' -c 'import jsonschema'").exit_code, 0)
      << py << " lacks jsonschema: run scripts/install-deps.sh (python3-jsonschema)";
  const std::string script =
      "import json,sys,jsonschema\n"
      "s=json.load(open(sys.argv[1]))\n"
      "v=jsonschema.Draft202012Validator(s)\n"
      "bad=0\n"
      "for f in sys.argv[2:]:\n"
      "  for e in v.iter_errors(json.load(open(f))): print(f, e.json_path, e.message); bad+=1\n"
      "sys.exit(1 if bad else 0)\n";
  const std::string dir = make_temp_dir();
  const std::string path = dir + "/check.py";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(script.c_str(), f);
  std::fclose(f);
  std::string cmd = "'" + py + "' '" + path + "' '" + kSrc + "/baselines/schema/baseline.schema.json'";
  for (const auto& b : shipped_files()) cmd += " '" + b + "'";
  const CliResult ok = run_shell(cmd);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  // The schema is not vacuous: a malformed file fails it too.
  const CliResult bad = run_shell("'" + py + "' '" + path + "' '" + kSrc + "/baselines/schema/baseline.schema.json' '" +
                                  kData + "/baselines/malformed/11-bad-unit.json'");
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  fs::remove_all(dir);
}

TEST(BaselineCli, EachMalformedFileIsOneLineExit64) {
  const auto files = files_with_suffix(kData + "/baselines/malformed", ".json");
  ASSERT_GE(files.size(), 15u);
  for (const auto& f : files) {
    const CliResult r = run_cli({"baseline", "validate", f}, "", kEnv);
    EXPECT_EQ(r.exit_code, 64) << f;
    const std::string first = r.err.substr(0, r.err.find('\n'));
    EXPECT_EQ(first.rfind("tranche: " + f, 0), 0u) << r.err;
    EXPECT_TRUE(first.find("$") != std::string::npos || first.find(".json:") != std::string::npos) << first;
  }
}

TEST(BaselineCli, ValidateReportsEveryBadFileAndStillChecksTheGoodOnes) {
  const CliResult r =
      run_cli({"baseline", "validate", kData + "/baselines/valid/test-sku.json",
               kData + "/baselines/malformed/07-bad-direction.json", kData + "/baselines/overrides/stricter-h100.json"},
              "", kEnv);
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.out.find("ok  " + kData + "/baselines/valid/test-sku.json"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("site overrides"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("$.expectations[0].direction"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 of 3 files invalid"), std::string::npos) << r.err;
}

TEST(BaselineCli, ListShowsEveryShippedSku) {
  const CliResult r = run_cli({"baseline", "list"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"h100-sxm5-80gb", "h100-pcie-80gb", "h100-nvl", "h200-sxm-141gb", "h200-nvl", "b200", "gb200",
                         "a100-sxm4-80gb", "a100-pcie-80gb", "l40s", "l4"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
  EXPECT_NE(r.out.find("0x2330"), std::string::npos);
}

TEST(BaselineCli, ShowPrintsSourcesAndJsonRoundTrips) {
  const CliResult r = run_cli({"baseline", "show", "h200-sxm-141gb"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("gemm.bf16/flops"), std::string::npos);
  EXPECT_NE(r.out.find("788.0 TFLOP/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source (measured): "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source (datasheet): "), std::string::npos) << r.out;  // FP8: an estimate until derived
  EXPECT_NE(r.out.find("never looser than 335.0 GB/s: Azure"), std::string::npos) << r.out;  // the P2P anchor
  const CliResult j = run_cli({"baseline", "show", "--json", "l4"}, "", kEnv);
  EXPECT_EQ(j.exit_code, 0);
  EXPECT_EQ(baseline_from_json(nlohmann::json::parse(j.out), "stdout").id, "l4");
}

TEST(BaselineCli, ShowUnknownSkuListsKnownOnesExit64) {
  const CliResult r = run_cli({"baseline", "show", "h300"}, "", kEnv);
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("unknown baseline 'h300'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("b200"), std::string::npos);
  EXPECT_NE(r.err.find("--baseline FILE"), std::string::npos);
}

TEST(BaselineCli, DeriveWritesAValidBaselineFromReports) {
  const std::string dir = make_temp_dir();
  std::vector<std::string> args{"baseline", "derive"};
  for (char c : std::string("abcde")) args.push_back(kData + "/reports/derive/node-" + c + ".json");
  args.insert(args.end(), {"--sku", "h100-sxm5-80gb", "-o", dir + "/derived.json"});
  const CliResult r = run_cli(args, "", kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("derived from 5 reports"), std::string::npos) << r.out;
  const Baseline b = load_baseline_file(dir + "/derived.json");
  EXPECT_EQ(b.id, "h100-sxm5-80gb");
  EXPECT_EQ(b.match.pci_device_ids, std::vector<std::uint32_t>{0x2330});
  bool found = false;
  for (const auto& e : b.expectations) {
    if (e.metric == "gemm.bf16/flops") {
      found = true;
      EXPECT_DOUBLE_EQ(e.reference, 793.5e12);
      EXPECT_NE(e.source.find("node-a.json"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(run_cli({"baseline", "validate", dir + "/derived.json"}, "", kEnv).exit_code, 0);
  // The derived file judges the fixture report like any other baseline.
  const CliResult j =
      run_cli({"judge", kData + "/reports/h100-8gpu.json", "--baseline", dir + "/derived.json"}, "", kEnv);
  EXPECT_EQ(j.exit_code, 1) << j.err;
  fs::remove_all(dir);
}

TEST(BaselineCli, DeriveWithTooFewReportsIsExit64) {
  const std::string dir = make_temp_dir();
  const CliResult r = run_cli({"baseline", "derive", kData + "/reports/derive/node-a.json",
                               kData + "/reports/derive/node-b.json", "--sku", "x", "-o", dir + "/x.json"},
                              "", kEnv);
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("gemm.bf16/flops {k=8192,m=8192,n=8192} has 4 values"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/x.json"));
  std::vector<std::string> args{"baseline", "derive"};
  for (char c : std::string("abcde")) args.push_back(kData + "/reports/derive/node-" + c + ".json");
  args.insert(args.end(), {"--sku", "Not An Id", "-o", dir + "/y.json"});
  const CliResult bad_id = run_cli(args, "", kEnv);
  EXPECT_EQ(bad_id.exit_code, 64);
  EXPECT_NE(bad_id.err.find("$.id"), std::string::npos) << bad_id.err;
  EXPECT_FALSE(fs::exists(dir + "/y.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tranche::test

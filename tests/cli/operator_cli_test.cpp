// The operator's first hour (#26): progress while running, GPUs by index/range/serial, nonsense refused before
// measuring, suggestions, never "accepted" without a verdict, no report overwritten, an installed tranche.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kFakeNvml = std::string("LD_LIBRARY_PATH=") + TRANCHE_FAKE_NVML_DIR;

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

std::vector<std::string> reports_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& f : files_with_suffix(dir, ".json")) out.push_back(f);
  return out;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

TEST(OperatorProgress, HeaderAndOneLinePerCheckStreamBeforeTheSummary) {
  const std::string dir = make_temp_dir();
  // stdout and stderr in one stream, in the order written: progress (stderr, flushed per line) must come before
  // the final table (stdout, printed after the report is written).
  const auto r = run_shell("(" + kFakeNvml + " " + quoted(TRANCHE_BINARY) + " run --checks preflight. --out " +
                           quoted(dir) + " 2>&1)");
  const std::string& out = r.out;
  const auto header = out.find("report: " + dir);
  const auto first = out.find("] preflight.");
  const auto verdict = out.find("Verdict:");
  ASSERT_NE(header, std::string::npos) << out;
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(verdict, std::string::npos) << out;
  EXPECT_LT(header, first);
  EXPECT_LT(first, verdict);
  EXPECT_NE(out.find("profile acceptance"), std::string::npos) << out;
  EXPECT_NE(out.find("events: " + dir), std::string::npos) << out;
  // One progress line per planned measurement: "[ i/N]" up to N.
  const auto slash = out.find('/', first - 4);
  const int total = std::stoi(out.substr(slash + 1));
  EXPECT_GE(total, 7);
  EXPECT_NE(out.find("[" + std::string(total < 10 ? "  " : " ") + std::to_string(total) + "/" + std::to_string(total) +
                     "]"),
            std::string::npos)
      << out;
  fs::remove_all(dir);
}

TEST(OperatorGpus, AValueThatNamesNoGpuIsExit64AndWritesNothing) {
  const std::string dir = make_temp_dir();
  for (const std::string bad : {"9", "-1"}) {
    const auto r = run_cli({"run", "--checks", "preflight.", "--gpus", bad, "--out", dir}, "", kFakeNvml);
    EXPECT_EQ(r.exit_code, 64) << bad << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("--gpus " + bad), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(OperatorGpus, RangesAndSerialsSelectAndTheReportRecordsBoth) {
  const std::string dir = make_temp_dir();
  const auto r = run_cli({"run", "--checks", "preflight.", "--gpus", "0-1", "--out", dir}, "", kFakeNvml);
  const auto reports = reports_in(dir);
  ASSERT_EQ(reports.size(), 1u) << r.out << r.err;
  const auto j = read_json(reports[0]);
  EXPECT_EQ(j["options"]["gpus_requested"], "0-1");
  EXPECT_EQ(j["options"]["gpus"], nlohmann::json::array({0, 1}));
  ASSERT_EQ(j["summary"]["gpus"].size(), 2u) << j["summary"].dump();
  EXPECT_EQ(j["summary"]["gpus"][1]["serial"], "1650000000001");
  // A serial picks that GPU.
  const std::string dir2 = make_temp_dir();
  run_cli({"run", "--checks", "preflight.", "--gpus", "1650000000001", "--out", dir2}, "", kFakeNvml);
  const auto reports2 = reports_in(dir2);
  ASSERT_EQ(reports2.size(), 1u);
  EXPECT_EQ(read_json(reports2[0])["options"]["gpus"], nlohmann::json::array({1}));
  fs::remove_all(dir);
  fs::remove_all(dir2);
}

TEST(OperatorReports, TwoRunsIntoOneDirectoryLeaveTwoReports) {
  const std::string dir = make_temp_dir();
  const std::string run = quoted(TRANCHE_BINARY) + " run --checks preflight. --out " + quoted(dir) + " >/dev/null 2>&1";
  // Back to back and at the same time: neither may overwrite the other or share its event log.
  run_shell(run + "; " + run + "; " + run + " & " + run + "; wait");
  const auto reports = reports_in(dir);
  EXPECT_EQ(reports.size(), 4u);
  const auto logs = files_with_suffix(dir, ".events.jsonl");
  ASSERT_EQ(logs.size(), 4u);
  for (const auto& log : logs) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t starts = 0;
    for (size_t p = text.find("\"run_start\""); p != std::string::npos; p = text.find("\"run_start\"", p + 1)) ++starts;
    EXPECT_EQ(starts, 1u) << log;
  }
  fs::remove_all(dir);
}

TEST(OperatorInput, OutOfRangeParameterIsExit64NamingTheRange) {
  const std::string dir = make_temp_dir();
  for (const std::string v : {"-5", "0"}) {
    const auto r = run_cli({"run", "--set", "gemm.bf16.m=" + v, "--out", dir});
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("gemm.bf16.m"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("valid: 1..1048576"), std::string::npos) << r.err;
  }
  const auto zip = run_cli({"run", "--set", "gemm.bf16.m=1024,2048,4096", "--set", "gemm.bf16.n=1024,2048", "--out", dir});
  EXPECT_EQ(zip.exit_code, 64) << zip.err;
  EXPECT_NE(zip.err.find("same length"), std::string::npos) << zip.err;
  const auto planted = run_cli({"run", "--set", "gemm.bf16.plant_error=true", "--out", dir});
  EXPECT_EQ(planted.exit_code, 64) << planted.err;
  EXPECT_NE(planted.err.find("test-only"), std::string::npos) << planted.err;
  EXPECT_TRUE(fs::is_empty(dir)) << "nothing measured, nothing written";
  fs::remove_all(dir);
}

TEST(OperatorErrors, UnknownNamesSuggestTheNearestAndTheRightHelp) {
  const auto check = run_cli({"run", "--checks", "gemm.bf61", "--out", make_temp_dir()});
  EXPECT_EQ(check.exit_code, 64);
  EXPECT_EQ(count_lines(check.err), 1) << check.err;
  EXPECT_NE(check.err.find("did you mean gemm.bf16?"), std::string::npos) << check.err;
  EXPECT_LT(check.err.size(), 200u) << "no list of every id: " << check.err;

  const auto sub = run_cli({"lst"});
  EXPECT_EQ(sub.exit_code, 64);
  EXPECT_NE(sub.err.find("unknown subcommand 'lst'; did you mean list?"), std::string::npos) << sub.err;

  const auto stray = run_cli({"show", "a.json", "--frob"});
  EXPECT_EQ(stray.exit_code, 64);
  EXPECT_NE(stray.err.find("tranche show --help"), std::string::npos) << stray.err;
}

TEST(OperatorVerdicts, AnUnknownSkuReportAcceptsNoGpu) {
  const std::string env = "TRANCHE_BASELINES_DIR=" + std::string(TRANCHE_SOURCE_DIR) + "/baselines";
  for (const std::string report : {"unknown-sku.json", "mixed-sku.json"}) {
    const auto r = run_cli({"judge", kData + "/reports/" + report}, "", env);
    EXPECT_NE(r.exit_code, 0) << report;
    EXPECT_EQ(r.out.find(" accepted"), std::string::npos) << report << ":\n" << r.out;
    EXPECT_NE(r.out.find("not judged"), std::string::npos) << report << ":\n" << r.out;
  }
  const auto show = run_cli({"show", kData + "/reports/unknown-sku.json"}, "", env);
  EXPECT_EQ(show.out.find(" accepted"), std::string::npos) << show.out;
  EXPECT_NE(show.err.find("tranche judge"), std::string::npos) << "suggests judging: " << show.err;
  EXPECT_NE(show.err.find("node-report/v1"), std::string::npos) << "says it read an older layout: " << show.err;
}

TEST(OperatorShow, SeveralReportsOneLineEachAndJsonOnStdout) {
  const std::string env = "TRANCHE_BASELINES_DIR=" + std::string(TRANCHE_SOURCE_DIR) + "/baselines";
  const std::string a = kData + "/reports/h100-8gpu.json", b = kData + "/reports/unknown-sku.json";
  const auto many = run_cli({"show", a, b}, "", env);
  EXPECT_EQ(count_lines(many.out), 2) << many.out;
  EXPECT_EQ(many.exit_code, 2) << "the worst of the two: incomplete";  // neither fixture is judged rejected
  const auto js = run_cli({"show", "--json", a}, "", env);
  const auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["report"], a);
  EXPECT_TRUE(j["summary"].contains("gpus"));
  EXPECT_TRUE(j["summary"].contains("acceptance"));
}

TEST(OperatorInstall, AnInstalledTrancheFindsItsBaselines) {
  const std::string prefix = make_temp_dir();
  const auto inst = run_shell("cmake --install " + quoted(TRANCHE_BUILD_DIR) + " --prefix " + quoted(prefix));
  ASSERT_EQ(inst.exit_code, 0) << inst.out << inst.err;
  const std::string bin = prefix + "/bin/tranche";
  ASSERT_TRUE(fs::exists(bin));
  // From another directory, with no TRANCHE_BASELINES_DIR: the installed share/tranche/baselines is used.
  const auto profiles = run_shell("cd / && env -u TRANCHE_BASELINES_DIR " + quoted(bin) + " list --profiles");
  EXPECT_EQ(profiles.exit_code, 0) << profiles.err;
  EXPECT_NE(profiles.out.find(prefix + "/share/tranche/baselines/profiles/acceptance.json"), std::string::npos)
      << profiles.out;
  const auto skus = run_shell("cd / && env -u TRANCHE_BASELINES_DIR " + quoted(bin) + " baseline list");
  EXPECT_EQ(skus.exit_code, 0) << skus.err;
  EXPECT_NE(skus.out.find("h100-sxm5-80gb"), std::string::npos) << skus.out;
  // A wrong TRANCHE_BASELINES_DIR says so, instead of "unknown profile ... known profiles: none".
  const auto missing = run_shell("TRANCHE_BASELINES_DIR=/nonexistent " + quoted(bin) + " run --out " + quoted(prefix + "/o"));
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("TRANCHE_BASELINES_DIR=/nonexistent is not a directory"), std::string::npos)
      << missing.err;
  fs::remove_all(prefix);
}

}  // namespace
}  // namespace tranche::test

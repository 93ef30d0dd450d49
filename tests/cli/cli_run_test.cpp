// `tranche run`, `show`, `list`, `--version` on this machine: exit codes, files written, errors on bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;

bool has_gpu_driver() { return fs::exists("/dev/nvidiactl"); }
// Hides any real GPU from the CUDA runtime, so the GPU-less path runs on every machine.
const std::string kNoDevice = "CUDA_VISIBLE_DEVICES=";

std::string only_report(const std::string& dir) {
  auto reports = files_with_suffix(dir, ".json");
  return reports.size() == 1 ? reports[0] : "";
}

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(CliVersion, PrintsVersionAndSha) {
  auto r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("tranche 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("git "), std::string::npos);
}

TEST(CliHelp, DocumentsEveryExitCode) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* code : {"0   accepted", "1   rejected", "2   incomplete", "64  usage", "70  internal"}) {
    EXPECT_NE(r.out.find(code), std::string::npos) << code;
  }
  EXPECT_NE(r.out.find("run"), std::string::npos);
}

TEST(CliList, NamesEveryCheckWithSummaryAndParams) {
  auto plain = run_cli({"list"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto js = run_cli({"list", "--json"});
  ASSERT_EQ(js.exit_code, 0);
  const auto checks = nlohmann::json::parse(js.out);
  ASSERT_TRUE(checks.is_array());
  ASSERT_FALSE(checks.empty());
  auto verbose = run_cli({"list", "--verbose"});
  for (const auto& c : checks) {
    const std::string id = c["id"];
    EXPECT_NE(plain.out.find(id), std::string::npos) << id;
    EXPECT_NE(plain.out.find(c["summary"].get<std::string>()), std::string::npos) << id;
    for (const auto& p : c["params"]) {
      EXPECT_NE(verbose.out.find(id + "." + p["name"].get<std::string>() + "="), std::string::npos) << id;
    }
    for (const auto& m : c["metrics"]) EXPECT_NE(verbose.out.find(m.get<std::string>()), std::string::npos);
  }
}

TEST(CliRun, NoDeviceIsIncompleteWithENoDeviceAndWritesAValidReport) {
  const std::string out = make_temp_dir();
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_cli({"run", "--out", out}, "", kNoDevice);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_LT(secs, 60.0);
  EXPECT_NE(r.out.find("E_NO_DEVICE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Verdict: incomplete"), std::string::npos) << r.out;

  const std::string report = only_report(out);
  ASSERT_FALSE(report.empty()) << "exactly one report expected in " << out;
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema"], "tranche/node-report/v1");
  EXPECT_EQ(j["summary"]["acceptance"], "incomplete");
  EXPECT_EQ(j["summary"]["error_ids"][0], "E_NO_DEVICE");
  ASSERT_EQ(j["command_line"].size(), 4u) << j["command_line"].dump();
  EXPECT_EQ(j["command_line"][1], "run");
  EXPECT_EQ(j["command_line"][3], out);
  EXPECT_EQ(files_with_suffix(out, ".events.jsonl").size(), 1u);
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());

  auto valid = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                         TRANCHE_SOURCE_DIR + "/reports/schema/node-report.schema.json " + report);
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  auto inventory = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                             TRANCHE_SOURCE_DIR + "/reports/schema/inventory.schema.json " + report + " /inventory");
  EXPECT_EQ(inventory.exit_code, 0) << inventory.err;
  if (!has_gpu_driver()) {
    EXPECT_NE(j["inventory"]["node"]["nvml_error"], nullptr);
  }

  auto show = run_cli({"show", report});
  EXPECT_EQ(show.exit_code, 2) << show.err;
  EXPECT_NE(show.out.find("E_NO_DEVICE"), std::string::npos);
  fs::remove_all(out);
}

TEST(CliSchema, RejectsAReportWithARequiredFieldRemoved) {
  const std::string out = make_temp_dir();
  run_cli({"run", "--out", out}, "", kNoDevice);
  const std::string report = only_report(out);
  ASSERT_FALSE(report.empty());
  nlohmann::json j;
  {
    std::ifstream in(report);
    j = nlohmann::json::parse(in);
  }
  const std::string validate = std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                               TRANCHE_SOURCE_DIR + "/reports/schema/node-report.schema.json ";
  for (const auto& pointer : {"/summary", "/measurements/0/status", "/tool/git_sha", "/verdicts/0/outcome"}) {
    nlohmann::json broken = j;
    const nlohmann::json::json_pointer p(pointer);
    broken[p.parent_pointer()].erase(p.back());
    const std::string path = out + "/broken.json";
    std::ofstream(path) << broken.dump();
    auto r = run_shell(validate + path);
    EXPECT_EQ(r.exit_code, 1) << "schema accepted a report without " << pointer;
    auto show = run_cli({"show", path});
    EXPECT_EQ(show.exit_code, 64) << pointer;
  }
  fs::remove_all(out);
}

TEST(CliRun, StartsAndReportsWithoutCublasLt) {
  const std::string out = make_temp_dir();
  auto r = run_cli({"run", "--out", out}, "", kNoDevice + " TRANCHE_CUBLASLT_LIBRARY=/nonexistent/libcublasLt.so");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string report = only_report(out);
  ASSERT_FALSE(report.empty());
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["environment"]["cublas_version"], "");
  fs::remove_all(out);
}

TEST(CliErrors, UnknownCheckIsOneLineExit64AndWritesNothing) {
  const std::string out = make_temp_dir();
  auto r = run_cli({"run", "--checks", "gemm.bf17", "--out", out});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("gemm.bf17"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(out));
  fs::remove_all(out);
}

TEST(CliErrors, UnknownFlagIsExit64) {
  auto r = run_cli({"run", "--frobnicate"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos);
  EXPECT_EQ(run_cli({"nosuchcommand"}).exit_code, 64);
  EXPECT_EQ(run_cli({}).exit_code, 64);
}

TEST(CliErrors, UnwritableOutIsExit64NamingTheDirectory) {
  const std::string dir = make_temp_dir();
  const std::string file = dir + "/plainfile";
  std::ofstream(file) << "x";
  auto r = run_cli({"run", "--out", file + "/reports"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(file + "/reports"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(CliErrors, BadSetAndGpusAreExit64) {
  EXPECT_EQ(run_cli({"run", "--set", "preflight.driver.nosuch=1", "--out", make_temp_dir()}).exit_code, 64);
  EXPECT_EQ(run_cli({"run", "--set", "novalue", "--out", make_temp_dir()}).exit_code, 64);
  EXPECT_EQ(run_cli({"run", "--profile", "no-such-profile", "--out", make_temp_dir()}).exit_code, 64);
  EXPECT_EQ(run_cli({"run", "--gpus", "x"}).exit_code, 64);
}

TEST(CliErrors, CorruptReportGivenToShowIsExit64AndUntouched) {
  const std::string dir = make_temp_dir();
  const std::string path = dir + "/corrupt.json";
  const std::string content = "{\"schema\": \"tranche/node-report/v1\", \"tool\": ";
  std::ofstream(path) << content;
  auto r = run_cli({"show", path});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(path), std::string::npos);
  std::ifstream in(path);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, content);
  EXPECT_EQ(run_cli({"show", dir + "/absent.json"}).exit_code, 64);
  fs::remove_all(dir);
}

TEST(CliBinary, DoesNotNeedLibcudaNvmlOrCublasLt) {
  auto r = run_shell(std::string("readelf -d ") + TRANCHE_BINARY);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NEEDED"), std::string::npos);
  EXPECT_EQ(r.out.find("libcuda.so"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("libnvidia-ml"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("libcublas"), std::string::npos) << "cuBLASLt is opened at run time: " << r.out;
  EXPECT_EQ(r.out.find("libcudart.so"), std::string::npos) << "cudart must be linked statically";
}

}  // namespace
}  // namespace tranche::test
